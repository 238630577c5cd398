import FleetControl
import FleetStore
import Foundation

/// The hand-off from libmosquitto's network thread (and the signal handlers) to the engine loop.
///
/// Messages are copied into one flat byte arena under a lock and taken by the loop a batch at a
/// time, double-buffered: one lock round-trip per batch instead of one actor hop or `AsyncStream`
/// yield per message (~2 µs each, PITFALLS.md), and no allocation per message once the arenas
/// have grown. If the loop falls far behind, the network thread waits, so TCP and the broker's
/// persistent-session queue absorb the backlog instead of our memory.
final class Inbox: @unchecked Sendable {
    // @unchecked: every stored property is only touched with `condition` locked.

    enum Control: Sendable {
        case brokerConnected
        case brokerRefused(code: Int32)
        case brokerDisconnected(code: Int32)
        case brokerLog(isError: Bool, text: String)
        case signal(Int32)
        case request(ControlRequest, ControlConnection)
        case wake
        /// The HA election took the active lock on this session: the loop takes it over (SPEC §15).
        case becameActive(PostgresSession)
    }

    struct Batch {
        var bytes: [UInt8] = []
        /// (topic range, payload range) in `bytes`.
        var messages: [(topic: Range<Int>, payload: Range<Int>)] = []
        /// Each control with the number of messages that arrived before it: the network thread's
        /// messages and connection events must be applied in the order they happened (a will
        /// received just before a disconnect is dropped by that disconnect).
        var controls: [(control: Control, afterMessages: Int)] = []
        /// Monotonic time the first message of this batch arrived (for the ingest-lag metric).
        var firstArrival = 0.0

        /// Steady traffic fills batches of a few thousand messages at most (~1 MiB at full-rate
        /// ingest); a burst registration grew both buffers of the double buffer to ~27 MiB each,
        /// and kept they were 0.55 KiB per device of resident memory after 100,000 devices
        /// registered at once. So larger buffers are given back.
        static let keptBytes = 4 << 20
        static let keptMessages = 16_384

        mutating func clear() {
            bytes.removeAll(keepingCapacityUpTo: Self.keptBytes)
            messages.removeAll(keepingCapacityUpTo: Self.keptMessages)
            controls.removeAll(keepingCapacity: true)
        }
    }

    private let condition = NSCondition()
    private var filling = Batch()
    private var consumerWaiting = false
    private let maxBufferedBytes: Int

    init(maxBufferedBytes: Int = 64 << 20) {
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// A batch is handed to the loop once it holds `wakeCount` messages or `gatherWindow` after
    /// the loop started waiting for it: one wake-up per batch, not one per message. At full-rate
    /// ingest (230,000 a second) the window ends a gathering first, so the network thread does
    /// not signal and the loop wakes ~500 times a second: with 256, a signal and a wake-up every
    /// 1.1 ms cost 2% more CPU per message and 2.5% of the rate (docs/benchmarks.md, "eighth
    /// pass"). Quiet traffic is unaffected: its batches are handed on by the window.
    static let wakeCount = 1024
    static let gatherWindow = 0.002

    private enum Consumer { case busy, idle, gathering }
    private var consumer = Consumer.busy
    private var producerWaiting = false

    /// Called on the network thread; copies both buffers before libmosquitto frees them.
    func append(topic: UnsafeBufferPointer<UInt8>, payload: UnsafeRawBufferPointer) {
        condition.lock()
        while filling.bytes.count > maxBufferedBytes {
            producerWaiting = true
            condition.wait()
            producerWaiting = false
        }
        if filling.messages.isEmpty { filling.firstArrival = Clock.now().monotonic }
        let start = filling.bytes.count
        filling.bytes.append(contentsOf: topic)
        let middle = filling.bytes.count
        filling.bytes.append(contentsOf: payload)
        filling.messages.append((start..<middle, middle..<filling.bytes.count))
        switch consumer {
        case .idle: condition.signal()
        case .gathering where filling.messages.count >= Self.wakeCount: condition.signal()
        default: break
        }
        condition.unlock()
    }

    func post(_ control: Control) {
        condition.lock()
        filling.controls.append((control, filling.messages.count))
        condition.broadcast()
        condition.unlock()
    }

    /// Swaps the filling batch into `batch` (whose old contents are discarded, capacity kept),
    /// waiting up to `timeout` seconds when there is nothing yet.
    func take(into batch: inout Batch, timeout: Double) {
        batch.clear()
        condition.lock()
        let deadline = Date(timeIntervalSinceNow: timeout)
        if filling.messages.isEmpty && filling.controls.isEmpty && timeout > 0 {
            consumer = .idle
            _ = condition.wait(until: deadline)
        }
        if !filling.messages.isEmpty && filling.messages.count < Self.wakeCount && timeout > 0 {
            consumer = .gathering
            let until = min(deadline, Date(timeIntervalSinceNow: Self.gatherWindow))
            while filling.controls.isEmpty && filling.messages.count < Self.wakeCount && Date() < until {
                _ = condition.wait(until: until)
            }
        }
        consumer = .busy
        swap(&batch, &filling)
        if producerWaiting { condition.broadcast() }
        condition.unlock()
    }
}
