import ArgumentParser
import Foundation
import Glibc

/// `fleetsim load`: heartbeats at benchmark rates from a few connections (not one per device).
///
/// Count mode (`--messages N`, N > 0) publishes N heartbeats round-robin over the devices, as
/// fast as the broker takes them (`--rate 0`) or at `--rate` per second, then exits.
/// Keep-alive mode (`--messages 0`) has every device send one heartbeat every `--interval`
/// seconds, phases spread evenly, for `--duration` seconds; `--stop-after-seconds` then silences
/// a fixed pseudo-random `--stop-fraction` of the devices and writes each one's id and the wall-clock
/// time of its last heartbeat, for measuring how long offline detection takes.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Publish heartbeats at benchmark rates.",
        discussion: """
            Device i is SHORT-siteSSS-IIIIII at site siteSSS (SSS = i mod --site-count; SHORT from the \
            kind: robot, locker, kiosk, gate) and publishes on connection i mod --connections, so runs \
            with the same --site-count and --kind name the same devices: a run over fewer devices \
            speaks for the first devices of a bigger fleet.

            With --end-markers, after the N messages every connection publishes one more heartbeat, \
            with health "fault", from device load-end-C (C = the connection's number) at site site000: \
            a reader that has seen all of them has seen everything sent before them.

            The last line on stdout is LOAD-RESULT followed by key=value pairs: sent, markers, \
            first_write_ms, last_write_ms (wall clock, Unix ms), elapsed_s, rate, acked.

            """)

    @OptionGroup var broker: BrokerOptions
    @Option(name: .long, help: "Number of devices.") var devices = 10_000
    @Option(name: .long, help: "Heartbeats to send (0: keep every device alive, see --interval and --duration).")
    var messages = 1_000_000
    @Option(name: .long, help: "QoS of heartbeats (0 or 1).") var qos = 0
    @Option(name: .long, help: "Messages per second in count mode (0: as fast as the broker takes them).")
    var rate = 0.0
    @Option(name: .long, help: "Publishing connections.") var connections = 4
    @Option(name: .customLong("site-count"), help: "Sites the devices are spread over.") var siteCount = 100
    @Option(name: .long, help: "Device kind.") var kind = "delivery-robot"
    @Option(name: .long, help: "Heartbeat period per device in keep-alive mode; sent as interval_s in both modes.")
    var interval = 10.0
    @Option(name: .long, help: "Keep-alive mode: run this many seconds (0: until SIGTERM/SIGINT).")
    var duration = 0.0
    @Option(name: .customLong("stop-after-seconds"), help: "Keep-alive mode: silence devices after this many seconds.")
    var stopAfterSeconds: Double?
    @Option(
        name: .customLong("stop-fraction"),
        help: "Share of the devices to silence, picked pseudo-randomly (0–1).")
    var stopFraction = 0.01
    @Option(
        name: .customLong("stopped-file"),
        help: "Where to write 'DEVICE LAST_HEARTBEAT_UNIX_MS' lines (default: stdout).")
    var stoppedFile: String?
    @Flag(name: .customLong("end-markers"), help: "Count mode: finish with one health=fault marker per connection.")
    var endMarkers = false
    @Option(
        name: .customLong("battery-drain"),
        help: ArgumentHelp(
            "Batteries fall this many percent per minute, device i from 20 + (37 i mod 71) %, "
                + "down to 5 % (0: every battery stays at 87 %). Makes every robot's forecast follow a trend."))
    var batteryDrain = 0.0

    func validate() throws {
        guard qos == 0 || qos == 1 else { throw ValidationError("--qos must be 0 or 1") }
        guard devices >= 1 else { throw ValidationError("--devices must be >= 1") }
        guard messages >= 0 else { throw ValidationError("--messages must be >= 0") }
        guard rate >= 0 else { throw ValidationError("--rate must be >= 0") }
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be 1–256") }
        guard siteCount >= 1 else { throw ValidationError("--site-count must be >= 1") }
        guard interval > 0 else { throw ValidationError("--interval must be > 0") }
        guard duration >= 0 else { throw ValidationError("--duration must be >= 0") }
        guard (0...1).contains(stopFraction) else { throw ValidationError("--stop-fraction must be between 0 and 1") }
        if stopAfterSeconds != nil && messages > 0 {
            throw ValidationError("--stop-after-seconds needs keep-alive mode (--messages 0)")
        }
        if endMarkers && messages == 0 { throw ValidationError("--end-markers needs count mode (--messages N)") }
        guard batteryDrain >= 0 && batteryDrain.isFinite else { throw ValidationError("--battery-drain must be >= 0") }
    }

    func run() throws {
        let fleet = LoadFleet(devices: devices, siteCount: siteCount, kind: kind, prefix: broker.prefix)
        let payloads = LoadPayload(kind: kind, interval: interval, variableBattery: batteryDrain > 0)
        let stopFlag = StopFlag()
        var links: [LoadConnection] = []
        for c in 0..<connections {
            links.append(
                try LoadConnection(
                    host: broker.host, port: broker.port, clientID: "fleetsim-load-\(getpid())-\(c)",
                    username: broker.username, password: broker.password, keepaliveSeconds: 120))
        }
        let keepAlive = messages == 0
        let pace = keepAlive ? Double(devices) / interval : rate
        let total = keepAlive ? Int.max : messages
        let silenced = Self.chooseSilenced(devices: devices, fraction: stopFraction)
        let schedule =
            keepAlive
            ? "every device every \(interval)s (\(Int(pace)) msg/s)"
            : "\(messages) messages" + (pace > 0 ? " at \(Int(pace)) msg/s" : " as fast as the broker takes them")
        say(
            "load: \(devices) devices at \(siteCount) sites on \(connections) connections, QoS \(qos), \(schedule), "
                + "payload \(payloads.sampleSize) bytes")

        var seq = [Int64](repeating: 0, count: devices)
        var lastBeatMs = [Int64](repeating: 0, count: devices)
        var payload: [UInt8] = []
        payload.reserveCapacity(1024)
        var firstWriteMs: Int64?
        var lastWriteMs: Int64 = 0
        var stopped = false
        var m = 0
        let start = Self.monotonic()
        var lastPing = start
        let flushBytes = 1 << 16

        func write(_ link: LoadConnection) throws {
            if firstWriteMs == nil { firstWriteMs = Self.wallMillis() }
            try link.flush()
        }

        while !stopFlag.isSet {
            let now = Self.monotonic()
            let elapsed = now - start
            if keepAlive && duration > 0 && elapsed >= duration { break }
            if let stopAfter = stopAfterSeconds, !stopped, elapsed >= stopAfter {
                stopped = true
                try writeStopped(fleet: fleet, silenced: silenced, lastBeatMs: lastBeatMs)
            }
            if now - lastPing >= 30 {
                lastPing = now
                for link in links { link.appendPing() }
            }
            let due = pace > 0 ? min(total, Int(elapsed * pace) + 1) : min(total, m + 8192)
            if m >= due {
                if m >= total { break }
                let wait = Double(m) / pace - elapsed
                usleep(UInt32(max(200, min(1000, wait * 1e6))))
                continue
            }
            let ms = Self.wallMillis()
            while m < due {
                let d = m % devices
                m += 1
                if stopped && silenced[d] { continue }
                let battery =
                    batteryDrain > 0
                    ? max(5, 20 + Double((37 * d) % 71) - batteryDrain * (now - start) / 60) : nil
                payloads.heartbeat(into: &payload, ms: ms, seq: seq[d], battery: battery)
                seq[d] += 1
                lastBeatMs[d] = ms
                let link = links[d % connections]
                link.appendPublish(topic: fleet.topics[d], payload: payload, qos: qos)
                if link.buffer.count >= flushBytes { try write(link) }
            }
            for link in links where !link.buffer.isEmpty { try write(link) }
            lastWriteMs = Self.wallMillis()
        }
        let sent = links.reduce(0) { $0 + $1.published }
        var markers = 0
        if endMarkers && !stopFlag.isSet {
            for (c, link) in links.enumerated() {
                let topic = Array("\(broker.prefix)/site000/\(kind)/load-end-\(c)/heartbeat".utf8)
                link.appendPublish(topic: topic, payload: payloads.marker(ms: Self.wallMillis()), qos: qos)
                try link.flush()
                markers += 1
            }
        }
        var acked = 0
        if qos > 0 {
            for link in links where !link.waitForAcks(timeout: 120) {
                say("load: \(link.clientID): only \(link.pubacks) of \(link.published) PUBLISH acknowledged")
            }
            acked = links.reduce(0) { $0 + $1.pubacks }
        }
        let acksDoneMs = Self.wallMillis()
        for link in links where !link.finish(timeout: 60) {
            say("load: \(link.clientID): broker did not close the connection after DISCONNECT")
        }
        for link in links { if let error = link.readerError { say("load: \(link.clientID): \(error)") } }
        let first = firstWriteMs ?? lastWriteMs
        let seconds = Double(max(1, lastWriteMs - first)) / 1000
        say(
            "load: sent \(sent) heartbeats (+\(markers) markers) in \(String(format: "%.3f", seconds)) s, "
                + "\(Int(Double(sent) / seconds)) msg/s" + (qos > 0 ? ", \(acked) acknowledged" : ""))
        print(
            "LOAD-RESULT sent=\(sent) markers=\(markers) first_write_ms=\(first) last_write_ms=\(lastWriteMs) "
                + "acks_done_ms=\(acksDoneMs) elapsed_s=\(String(format: "%.3f", seconds)) "
                + "rate=\(Int(Double(sent) / seconds)) acked=\(acked) interrupted=\(stopFlag.isSet)")
    }

    func writeStopped(fleet: LoadFleet, silenced: [Bool], lastBeatMs: [Int64]) throws {
        var text = "# device last_heartbeat_unix_ms\n"
        var count = 0
        for d in 0..<devices where silenced[d] && lastBeatMs[d] > 0 {
            text += "\(fleet.id(d)) \(lastBeatMs[d])\n"
            count += 1
        }
        if let stoppedFile {
            try text.write(toFile: stoppedFile, atomically: true, encoding: .utf8)
            say("load: silenced \(count) devices; their last heartbeats are in \(stoppedFile)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// round(fraction × devices) devices picked by a fixed pseudo-random order: the same ones every
    /// run, and uncorrelated with the site (i mod --site-count) and connection (i mod --connections)
    /// a device is on, so silencing them does not empty whole sites (which would be a site outage).
    static func chooseSilenced(devices: Int, fraction: Double) -> [Bool] {
        func mix(_ x: UInt64) -> UInt64 {  // splitmix64
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let count = Int((fraction * Double(devices)).rounded())
        var silenced = [Bool](repeating: false, count: devices)
        for d in (0..<devices).sorted(by: { mix(UInt64($0)) < mix(UInt64($1)) }).prefix(count) { silenced[d] = true }
        return silenced
    }

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func wallMillis() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }
}

/// The load fleet's names and topics, computed once.
struct LoadFleet {
    let short: String
    let siteCount: Int
    let topics: [[UInt8]]

    init(devices: Int, siteCount: Int, kind: String, prefix: String) {
        short = DeviceSpec.shortNames[kind] ?? kind
        self.siteCount = siteCount
        var topics: [[UInt8]] = []
        topics.reserveCapacity(devices)
        for d in 0..<devices {
            let id = Self.id(d, short, siteCount)
            topics.append(Array("\(prefix)/\(Self.site(d, siteCount))/\(kind)/\(id)/heartbeat".utf8))
        }
        self.topics = topics
    }

    func id(_ d: Int) -> String { Self.id(d, short, siteCount) }

    static func site(_ d: Int, _ siteCount: Int) -> String { "site" + pad(d % siteCount, 3) }

    static func id(_ d: Int, _ short: String, _ siteCount: Int) -> String {
        "\(short)-\(site(d, siteCount))-\(pad(d, 6))"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Heartbeat bytes written straight into a reused buffer: `{"ts":MS,"seq":N` and then a constant
/// tail taken once from `Payload.heartbeat` (healthy metrics of the kind plus a few more, ~200
/// bytes in all).
struct LoadPayload {
    let tail: [UInt8]
    let markerTail: [UInt8]
    let sampleSize: Int

    static let extraMetrics = ["cpu_pct": "23.5", "mem_pct": "41.2", "rssi_dbm": "-61", "disk_pct": "37"]
    /// Every device has been up a day when the load starts; uptime_s then grows with seq.
    static let uptimeAtStart: Int64 = 86400
    let interval: Double

    /// With `variableBattery`, `battery_pct` is written per message (first in `metrics`): the tail is
    /// split around it.
    let batteryTail: (before: [UInt8], after: [UInt8])?

    init(kind: String, interval: Double, variableBattery: Bool = false) {
        self.interval = interval
        let metrics = Payload.healthyMetrics(kind: kind).merging(Self.extraMetrics) { a, _ in a }
        let head = "{\"ts\":0,\"seq\":0,\"uptime_s\":0"
        let normal = Payload.heartbeat(
            seq: 0, uptime: 0, interval: interval, health: "ok", metrics: metrics,
            unixMillis: 0)
        let fault = Payload.heartbeat(
            seq: 0, uptime: 0, interval: interval, health: "fault", metrics: metrics,
            unixMillis: 0)
        precondition(normal.hasPrefix(head) && fault.hasPrefix(head), "Payload.heartbeat changed its field order")
        tail = Array(normal.utf8.dropFirst(head.utf8.count))
        markerTail = Array(fault.utf8.dropFirst(head.utf8.count))
        var sample: [UInt8] = []
        Self.build(&sample, ms: 1_764_150_000_000, seq: 12345, uptime: Self.uptimeAtStart + 12345, tail: tail)
        sampleSize = sample.count
        batteryTail = variableBattery ? Self.splitAroundBattery(kind: kind, interval: interval, metrics: metrics) : nil
    }

    /// The tail without `battery_pct`, cut after `"metrics":{` so each message can put its own first.
    static func splitAroundBattery(
        kind: String, interval: Double, metrics: [String: String]
    )
        -> (before: [UInt8], after: [UInt8])?
    {
        var others = metrics
        others["battery_pct"] = nil
        guard !others.isEmpty else { return nil }
        let text = Payload.heartbeat(
            seq: 0, uptime: 0, interval: interval, health: "ok", metrics: others,
            unixMillis: 0)
        let head = "{\"ts\":0,\"seq\":0,\"uptime_s\":0"
        guard text.hasPrefix(head), let cut = text.range(of: "\"metrics\":{") else { return nil }
        return (
            Array(text[text.index(text.startIndex, offsetBy: head.count)..<cut.upperBound].utf8),
            Array(text[cut.upperBound...].utf8)
        )
    }

    /// One heartbeat; with `battery` (and `variableBattery`), `battery_pct` is that value (two decimals).
    func heartbeat(into out: inout [UInt8], ms: Int64, seq: Int64, battery: Double? = nil) {
        let uptime = Self.uptimeAtStart + Int64(Double(seq) * interval)
        guard let battery, let (before, after) = batteryTail else {
            return Self.build(&out, ms: ms, seq: seq, uptime: uptime, tail: tail)
        }
        Self.build(&out, ms: ms, seq: seq, uptime: uptime, tail: before)
        out.append(contentsOf: #""battery_pct":"#.utf8)
        let hundredths = Int64((max(0, battery) * 100).rounded())
        Self.appendDecimal(&out, hundredths / 100)
        out.append(UInt8(ascii: "."))
        if hundredths % 100 < 10 { out.append(UInt8(ascii: "0")) }
        Self.appendDecimal(&out, hundredths % 100)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: after)
    }

    func marker(ms: Int64) -> [UInt8] {
        var out: [UInt8] = []
        Self.build(&out, ms: ms, seq: 0, uptime: Self.uptimeAtStart, tail: markerTail)
        return out
    }

    static func build(_ out: inout [UInt8], ms: Int64, seq: Int64, uptime: Int64, tail: [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: #"{"ts":"#.utf8)
        appendDecimal(&out, ms)
        out.append(contentsOf: #","seq":"#.utf8)
        appendDecimal(&out, seq)
        out.append(contentsOf: #","uptime_s":"#.utf8)
        appendDecimal(&out, uptime)
        out.append(contentsOf: tail)
    }

    static func appendDecimal(_ out: inout [UInt8], _ value: Int64) {
        precondition(value >= 0)
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                count += 1
            } while v > 0
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
