import CMosquitto
import Dispatch
import Foundation
import Glibc
import Synchronization
import SystemCalls

/// libmosquitto's warnings and errors, handed to `MQTTHandlers.log`.
private let logCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?) -> Void = {
        _, object, level, text in
        guard let object, let text, level & Int32(MOSQ_LOG_ERR | MOSQ_LOG_WARNING) != 0 else { return }
        Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue().handlers
            .log(level & Int32(MOSQ_LOG_ERR) != 0, String(cString: text))
    }

/// `mosquitto_lib_init`'s result, once per process (it is not thread-safe; a lazy global is).
private let libraryInitialisation: Int32 = mosquitto_lib_init()

/// A thin owner of one `struct mosquitto *`: connect, subscribe, publish, run the network thread,
/// and reconnect with backoff (libmosquitto's loop thread does that by itself).
///
/// `@unchecked Sendable`: libmosquitto is thread-safe for publish/subscribe/disconnect from any
/// thread once `mosquitto_loop_start` runs (`mosquitto_threaded_set` is implied by loop_start), and
/// the only mutable Swift state, `handlers`, is written before `start()` and read-only afterwards.
public final class MQTTClient: @unchecked Sendable {
    private var handle: OpaquePointer?
    fileprivate let handlers: MQTTHandlers
    public let options: MQTTOptions
    private var started = false
    /// The first connection attempt failed in `connect()`: the network loop retries it first.
    private let needsConnect = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    /// Set by the connect callback on a successful CONNACK; the network loop resets its backoff.
    fileprivate let connectedOK = Atomic<Bool>(false)
    /// Between a successful CONNACK and the disconnect callback: the only time the network loop
    /// drains the socket (a TLS handshake in progress must go through `mosquitto_loop`).
    fileprivate let sessionUp = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// `options.readAhead` on a plain TCP connection in a process whose `read` is ours.
    public let readsAhead: Bool
    /// Whether `drainReadable` still sets TCP_QUICKACK (the network thread's alone; off once the
    /// socket refuses it, a broker reached some other way than TCP).
    private var acknowledgesAtOnce = true
    /// Until when (monotonic seconds, as a bit pattern) `drainReadable` acknowledges at once
    /// (`acknowledgePromptly`).
    private let promptlyUntil = Atomic<UInt64>(0)

    public init(options: MQTTOptions, handlers: MQTTHandlers) throws {
        try check(libraryInitialisation, "mosquitto_lib_init")
        self.options = options
        self.handlers = handlers
        readsAhead = options.readAhead && options.tls == nil && SocketReadAhead.isAvailable
        guard let mosq = mosquitto_new(options.clientID, options.cleanSession, nil) else {
            throw MQTTError(code: Int32(MOSQ_ERR_NOMEM.rawValue), operation: "mosquitto_new")
        }
        handle = mosq
        // The object pointer is set after init so that `self` is complete; callbacks recover it.
        mosquitto_user_data_set(mosq, Unmanaged.passUnretained(self).toOpaque())
        try configure(mosq)
    }

    deinit {
        assert(handle == nil, "MQTTClient released without close()")
        if let handle { mosquitto_destroy(handle) }
    }

    private func configure(_ mosq: OpaquePointer) throws {
        if let will = options.will {
            try will.payload.withUnsafeBytes { bytes in
                try check(
                    mosquitto_will_set(mosq, will.topic, Int32(bytes.count), bytes.baseAddress, will.qos, will.retain),
                    "mosquitto_will_set")
            }
        }
        if let username = options.username {
            try check(mosquitto_username_pw_set(mosq, username, options.password), "mosquitto_username_pw_set")
        }
        if let tls = options.tls {
            try check(mosquitto_tls_set(mosq, tls.caFile, nil, tls.certFile, tls.keyFile, nil), "mosquitto_tls_set")
        }
        try check(
            mosquitto_reconnect_delay_set(mosq, options.reconnectDelayMin, options.reconnectDelayMax, true),
            "mosquitto_reconnect_delay_set")
        try check(mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1), "mosquitto_int_option TCP_NODELAY")

        mosquitto_connect_callback_set(mosq) { handle, object, code in
            guard let object else { return }
            // While connected, the log callback only costs: libmosquitto formats a debug line for
            // every packet when one is set (Benchmarks: ingest). It is back on after a disconnect,
            // where the failures worth logging (TLS, refused sockets) happen.
            if code == 0, let handle { mosquitto_log_callback_set(handle, nil) }
            let client = Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue()
            if code == 0 {
                client.connectedOK.store(true, ordering: .releasing)
                client.sessionUp.store(true, ordering: .releasing)
                if let handle { client.startReadingAhead(handle) }
            }
            client.handlers.connected(code)
        }
        mosquitto_disconnect_callback_set(mosq) { handle, object, code in
            guard let object else { return }
            if let handle { mosquitto_log_callback_set(handle, logCallback) }
            let client = Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue()
            client.sessionUp.store(false, ordering: .releasing)
            if client.readsAhead { SocketReadAhead.detach() }
            client.handlers.disconnected(code)
        }
        mosquitto_log_callback_set(mosq, logCallback)
        mosquitto_message_callback_set(mosq) { _, object, message in
            guard let object, let message else { return }
            let m = message.pointee
            let topicLength = strlen(m.topic)
            let view = MQTTMessageView(
                topic: UnsafeBufferPointer(
                    start: UnsafeRawPointer(m.topic).assumingMemoryBound(to: UInt8.self),
                    count: topicLength),
                payload: UnsafeRawBufferPointer(start: m.payload, count: Int(m.payloadlen)),
                retained: m.retain)
            Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue().handlers.message(view)
        }
    }

    /// Starts the first connection attempt and the network thread (see `connect()` and
    /// `runNetworkLoop()`, for a caller that gives the loop a thread of its own).
    public func start() throws {
        try connect()
        let thread = Thread { [self] in runNetworkLoop() }
        thread.name = "mqtt-network"
        thread.start()
    }

    /// Starts the first connection attempt; `runNetworkLoop()` must run afterwards (on a thread
    /// of its own) for anything to happen. A broker that is not there yet, refuses us, or fails
    /// the TLS handshake is not an error: the network loop retries with exponential backoff
    /// (`reconnectDelayMin` … `reconnectDelayMax`). Only bad options (MOSQ_ERR_INVAL) and memory
    /// (MOSQ_ERR_NOMEM) throw.
    ///
    /// The loop is ours, not `mosquitto_loop_start`'s: libmosquitto 2.0's loop thread gives up
    /// for good when the very first connection fails or a TLS handshake fails, which would leave a
    /// daemon started before its broker blind forever.
    public func connect() throws {
        guard let handle else { return }
        try check(mosquitto_threaded_set(handle, true), "mosquitto_threaded_set")
        do {
            try check(
                mosquitto_connect_async(handle, options.host, Int32(options.port), Int32(options.keepaliveSeconds)),
                "mosquitto_connect_async")
        } catch  where error.code == Int32(MOSQ_ERR_INVAL.rawValue) || error.code == Int32(MOSQ_ERR_NOMEM.rawValue) {
            throw error
        } catch {
            handlers.log(true, "connect failed: \(error.reason)")
            needsConnect.store(true, ordering: .releasing)
        }
        started = true
    }

    /// Reads and writes until `close()` or `abort()`; any failure (connection lost, refused, TLS)
    /// waits the current backoff and reconnects. A successful CONNACK resets the backoff.
    public func runNetworkLoop() {
        networkLoop(needsConnect: needsConnect.load(ordering: .acquiring))
    }

    /// Reads and writes until stopped; any failure (connection lost, refused, TLS) waits the
    /// current backoff and reconnects. A successful CONNACK resets the backoff.
    private func networkLoop(needsConnect: Bool) {
        defer {
            if readsAhead { SocketReadAhead.detach() }
            finished.signal()
        }
        // `handle` is cleared only after this loop has signalled `finished`.
        guard let handle else { return }
        var connectNow = needsConnect
        var delay = Double(options.reconnectDelayMin)
        while !stopRequested.load(ordering: .acquiring) {
            if connectNow {
                if !backoff(delay) { return }
                delay = min(delay * 2, Double(options.reconnectDelayMax))
                sessionUp.store(false, ordering: .releasing)
                if readsAhead { SocketReadAhead.detach() }  // nothing of the old socket reaches the new one
                do {
                    try check(mosquitto_reconnect(handle), "mosquitto_reconnect")
                } catch {
                    handlers.log(true, "connect failed: \(error.reason)")
                    continue
                }
                connectNow = false
            }
            do {
                // Bytes already read ahead are handled now: `pselect` would not wake for them.
                // Acknowledgements still held (the socket's buffer was full) are tried again
                // within 10 ms: libmosquitto, whose queue is empty, would not wait to write.
                var wait: Int32 = 1000
                if readsAhead {
                    if SocketReadAhead.heldAcknowledgementBytes > 0 && !SocketReadAhead.sendHeldAcknowledgements() {
                        wait = 10
                    }
                    if SocketReadAhead.pending > 0 { wait = 0 }
                }
                try check(mosquitto_loop(handle, wait, 1), "mosquitto_loop")
                // Bytes read ahead are drained even if the session just ended: nothing else
                // would take them before the next `pselect`.
                if sessionUp.load(ordering: .acquiring) || (readsAhead && SocketReadAhead.pending > 0) {
                    let packets = try drainReadable(handle)
                    // A full-rate stream, read ahead, is drained faster than the broker writes it:
                    // then every few packets the thread waits in `pselect` and the broker's next
                    // write has to wake it (12,000 wake-ups a second, paid by the broker, the limit
                    // at full rate), or reads it again at once (`Self.fullRateDrain`). A short nap
                    // after a full-rate drain lets the socket fill instead: 200 µs is ~35
                    // heartbeats at 170,000 a second, and a delay no one can see. Quiet traffic (a
                    // few packets a drain) and pending acknowledgements never nap.
                    if readsAhead && packets >= Self.fullRateDrain && !mosquitto_want_write(handle) {
                        _ = usleep(200)  // EINTR only shortens the nap
                    }
                }
            } catch {
                // Lost, refused or closed: the disconnect callback has told the handlers; reconnect.
                connectNow = true
            }
            if connectedOK.exchange(false, ordering: .acquiringAndReleasing) {
                delay = Double(options.reconnectDelayMin)
            }
        }
    }

    /// Packets in one drain that mark a full-rate stream (8 heartbeats arrive in ~50 µs at full
    /// rate; the 20,000 a second of 100,000 devices come one or two a drain).
    private static let fullRateDrain = 8

    /// Reads the packets already waiting on the socket without a `pselect` before each one.
    ///
    /// `mosquitto_loop` reads one packet per `pselect` (its packet budget is the number of QoS > 0
    /// messages in flight, so 1 for QoS 0), and that `pselect` was 15% of the daemon's CPU at full
    /// ingest (docs/benchmarks.md). Here `mosquitto_loop_read` is called again while the previous
    /// call found data; a read that would block sets `errno` to EAGAIN, which sends us back to
    /// `mosquitto_loop` and its `pselect`. The bound (calls, about one packet each) keeps
    /// `mosquitto_loop` (keepalive pings, the wake-up pipe of `publish`) running regularly, and
    /// queued writes (QoS 1 PUBACKs) go out as they appear, as `mosquitto_loop` would send them.
    /// Once the connection is gone (lost, or a DISCONNECT from `close()` was just written), we
    /// stop at once, as `mosquitto_loop` does: libmosquitto reports every further read on a
    /// closed socket as success after a `close()`, with another disconnect callback each time.
    /// At full rate (`fullRateDrain` packets or more) the drain also ends when the bytes read
    /// ahead run out, and the caller naps.
    /// Returns the number of `mosquitto_loop_read` calls that read: about one packet each.
    @discardableResult
    private func drainReadable(_ handle: OpaquePointer, maxCalls: Int = 512) throws(MQTTError) -> Int {
        func stillConnected() -> Bool { sessionUp.load(ordering: .acquiring) && mosquitto_socket(handle) >= 0 }
        var packets = 0
        for _ in 0..<maxCalls {
            errno = 0
            try check(mosquitto_loop_read(handle, 1), "mosquitto_loop_read")
            // A successful call that found nothing to read leaves EAGAIN behind (not an error).
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            packets += 1
            if !stillConnected() { break }
            if mosquitto_want_write(handle) {
                try check(mosquitto_loop_write(handle, 1), "mosquitto_loop_write")
                if !stillConnected() { break }
            }
            // At full rate the drain ends when the bytes read ahead are used up, to nap, rather
            // than read the socket again at once. Each read that empties the socket makes the
            // kernel acknowledge at once, and mosquitto (Nagle's algorithm on) sends what it holds
            // whenever an acknowledgement arrives: read back to back, 1,000,000 heartbeats came in
            // 150,000–170,000 segments of ~6 (and as many ACKs), each a full trip through the
            // broker's TCP stack. Stopping here: ~20,000 segments, 17,000 reads, broker system
            // time per message −10%, ours −30% (docs/benchmarks.md, "Round 2, sixth pass").
            if readsAhead && packets >= Self.fullRateDrain && SocketReadAhead.pending == 0 { break }
        }
        if readsAhead { SocketReadAhead.sendHeldAcknowledgements() }
        if acknowledgesAtOnce, stillConnected(),
            SystemClock.monotonicSeconds() < Double(bitPattern: promptlyUntil.load(ordering: .relaxed))
        {
            acknowledgeAtOnce(mosquitto_socket(handle))
        }
        return packets
    }

    /// For the next `seconds`, what arrives is acknowledged as soon as it is read (TCP_QUICKACK
    /// after each drain), for a caller waiting on a message it expects back soon (the link
    /// probe's echo). Not always: after every drain it cost 10% more CPU per message at
    /// full-rate ingest (a system call, and smaller reads as the broker sends sooner), and once a
    /// millisecond still 6% (docs/benchmarks.md, detection).
    public func acknowledgePromptly(for seconds: Double) {
        promptlyUntil.store((SystemClock.monotonicSeconds() + seconds).bitPattern, ordering: .relaxed)
    }

    /// Acknowledges what was read at once. A broker with Nagle's algorithm on (mosquitto's default,
    /// `set_tcp_nodelay false`) holds back its next small write until our last ACK, and Linux
    /// delays that ACK up to 40 ms: every heartbeat, and the echo of the link probe that offline
    /// detection waits for, arrived ~20 ms late on average (docs/benchmarks.md, detection).
    private func acknowledgeAtOnce(_ socket: Int32) {
        do {
            try FileDescriptor(rawValue: socket).acknowledgeAtOnce()
        } catch {
            acknowledgesAtOnce = false
            handlers.log(false, "delayed acknowledgements stay on: \(error)")
        }
    }

    /// On the network thread, at each CONNACK (the CONNACK itself was read directly).
    fileprivate func startReadingAhead(_ handle: OpaquePointer) {
        guard readsAhead else { return }
        if !SocketReadAhead.attach(mosquitto_socket(handle)) {
            handlers.log(true, "socket read-ahead off for this connection: no memory for its buffer")
        }
    }

    /// Sleeps `seconds` in small steps; false when asked to stop meanwhile.
    private func backoff(_ seconds: Double) -> Bool {
        var left = seconds
        while left > 0 {
            if stopRequested.load(ordering: .acquiring) { return false }
            Thread.sleep(forTimeInterval: min(left, 0.1))
            left -= 0.1
        }
        return !stopRequested.load(ordering: .acquiring)
    }

    public func subscribe(_ filter: String, qos: Int32) throws {
        try check(mosquitto_subscribe(handle, nil, filter, qos), "mosquitto_subscribe")
    }

    public func publish(topic: String, payload: UnsafeRawBufferPointer, qos: Int32, retain: Bool) throws {
        try check(
            mosquitto_publish(handle, nil, topic, Int32(payload.count), payload.baseAddress, qos, retain),
            "mosquitto_publish")
    }

    public func publish(topic: String, payload: String, qos: Int32, retain: Bool) throws {
        var bytes = Array(payload.utf8)
        try bytes.withUnsafeMutableBytes { raw in
            try publish(topic: topic, payload: UnsafeRawBufferPointer(raw), qos: qos, retain: retain)
        }
    }

    /// A clean goodbye: DISCONNECT is sent, so the broker does not publish the last will.
    public func close() {
        guard let handle else { return }
        if started {
            stopRequested.store(true, ordering: .releasing)
            do {
                try check(mosquitto_disconnect(handle), "mosquitto_disconnect")
            } catch  where error.code == MQTTError.noConnection {
                // Not connected (the broker is away): there is no session to end.
            } catch {
                handlers.log(true, "\(error)")
            }
            finished.wait()
        }
        mosquitto_destroy(handle)
        self.handle = nil
    }

    /// Drops the connection without DISCONNECT, like a device losing power: the broker publishes
    /// the last will. Used by the simulator.
    public func abort() {
        guard let handle else { return }
        if started {
            stopRequested.store(true, ordering: .releasing)
            let fd = mosquitto_socket(handle)  // -1 when there is no connection to drop
            if fd >= 0 {
                do {
                    try FileDescriptor(rawValue: fd).shutdown()
                } catch {
                    handlers.log(true, "abort: \(error)")  // ENOTCONN: it dropped by itself meanwhile
                }
            }
            finished.wait()
        }
        mosquitto_destroy(handle)
        self.handle = nil
    }
}
