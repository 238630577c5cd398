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
    }

    struct Batch {
        var bytes: [UInt8] = []
        /// (topic range, payload range) in `bytes`.
        var messages: [(topic: Range<Int>, payload: Range<Int>)] = []
        var controls: [Control] = []
        /// Monotonic time the first message of this batch arrived (for the ingest-lag metric).
        var firstArrival = 0.0

        mutating func clear() {
            bytes.removeAll(keepingCapacity: true)
            messages.removeAll(keepingCapacity: true)
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

    /// Called on the network thread; copies both buffers before libmosquitto frees them.
    func append(topic: UnsafeBufferPointer<UInt8>, payload: UnsafeRawBufferPointer) {
        condition.lock()
        while filling.bytes.count > maxBufferedBytes { condition.wait() }
        if filling.messages.isEmpty { filling.firstArrival = Clock.now().monotonic }
        let start = filling.bytes.count
        filling.bytes.append(contentsOf: topic)
        let middle = filling.bytes.count
        filling.bytes.append(contentsOf: payload)
        filling.messages.append((start..<middle, middle..<filling.bytes.count))
        if consumerWaiting { condition.broadcast() }
        condition.unlock()
    }

    func post(_ control: Control) {
        condition.lock()
        filling.controls.append(control)
        condition.broadcast()
        condition.unlock()
    }

    /// Swaps the filling batch into `batch` (whose old contents are discarded, capacity kept),
    /// waiting up to `timeout` seconds when there is nothing yet.
    func take(into batch: inout Batch, timeout: Double) {
        batch.clear()
        condition.lock()
        if filling.messages.isEmpty && filling.controls.isEmpty && timeout > 0 {
            consumerWaiting = true
            _ = condition.wait(until: Date(timeIntervalSinceNow: timeout))
            consumerWaiting = false
        }
        swap(&batch, &filling)
        condition.broadcast()  // wakes a producer held back by maxBufferedBytes
        condition.unlock()
    }
}
