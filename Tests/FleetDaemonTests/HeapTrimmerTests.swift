import Logging
import Testing

@testable import FleetDaemon

/// The heap is trimmed once after a burst of registrations, when the burst and the history samples
/// it took are done; never in steady traffic.
struct HeapTrimmerTests {
    private let logger = Logger(label: "test")

    /// Whether each second, with these (registrations so far, history backlog), trimmed.
    private func trims(_ seconds: [(Int, Int)]) -> [Bool] {
        var trimmer = HeapTrimmer()
        return seconds.map { trimmer.second(registrations: $0.0, historyBacklog: $0.1, logger: logger) }
    }

    @Test func aBurstIsTrimmedOnceASecondWithoutRegistrationsHasPassed() {
        #expect(trims([(40_000, 0), (100_000, 0), (100_000, 0), (100_000, 0)]) == [false, false, true, false])
    }

    @Test func notWhileTheBurstsHistorySamplesWaitToBeWritten() {
        let backlog = [(100_000, 90_000), (100_000, 50_000), (100_000, HistoryWriter.keptRows)]
        #expect(trims(backlog) == [false, false, true])
    }

    @Test func aFewRegistrationsAtATimeAreNotABurst() {
        let steady = (1...20).flatMap { [($0 * 400, 0), ($0 * 400, 0)] }
        #expect(!trims(steady).contains(true))
    }
}
