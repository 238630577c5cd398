import Testing

@testable import FleetDaemon

/// The loop's duties come due when they should: the forecast prune once, and only after READY.
struct LoopScheduleTests {
    @Test func theForecastPruneWaitsForReadyAndComesOnce() {
        var schedule = LoopSchedule()
        let answers = [false, false, true, true].map { schedule.forecastPruneDue(ready: $0) }
        #expect(answers == [false, false, true, false], "not before READY, then once per start")
    }

    @Test func lastSeenIsFlushedEvery100msInRoundsOfASecond() {
        var schedule = LoopSchedule()
        let flushes = [100, 100.05, 100.25, 100.5, 101].map { schedule.lastSeenDue(at: $0) }
        #expect(flushes == [true, false, true, true, true])
        let rounds = [100, 100.25, 100.5, 101].map { schedule.lastSeenRoundDue(at: $0) }
        #expect(rounds == [true, false, false, true])
    }

    @Test func theStatusRowIsDueOnceASecond() {
        var schedule = LoopSchedule()
        let answers = [100, 100.5, 101].map { schedule.statusDue(at: $0) }
        #expect(answers == [true, false, true])
    }
}
