import Testing

@testable import FleetDaemon

/// A slow engine-loop pass is reported with the stage that made it slow; fast ones are not.
struct PassTimerTests {
    @Test func aFastPassIsNotReported() {
        var timer = PassTimer()
        timer.start(at: 10)
        timer.mark(.messages, at: 10.01)
        timer.mark(.commit, at: 10.2)
        let report = timer.finish()
        #expect(report == nil)
    }

    @Test func aSlowPassNamesItsStagesInMilliseconds() throws {
        var timer = PassTimer()
        timer.start(at: 10)
        timer.mark(.messages, at: 10.02)
        timer.mark(.tick, at: 10.021)
        timer.mark(.commit, at: 10.9)
        timer.mark(.history, at: 10.91)
        timer.mark(.duties, at: 10.91)
        let finished = timer.finish()
        let report = try #require(finished)
        #expect(report["pass_ms"] == "910")
        #expect(report["commit_ms"] == "879")
        #expect(report["messages_ms"] == "20")
        #expect(report["history_ms"] == "10")
    }

    @Test func reportsAreLimitedToFiveInTenSecondsAndCountWhatWasHeldBack() throws {
        var timer = PassTimer()
        var reported = 0
        for n in 0..<8 {
            let t = 100 + Double(n)
            timer.start(at: t)
            timer.mark(.commit, at: t + 0.5)
            if timer.finish() != nil { reported += 1 }
        }
        #expect(reported == 5)
        timer.start(at: 111)
        timer.mark(.commit, at: 111.5)
        let finished = timer.finish()
        let next = try #require(finished)
        #expect(next["suppressed"] == "3")
    }

    @Test func aNewPassStartsFromNothing() {
        var timer = PassTimer()
        timer.start(at: 0)
        timer.mark(.commit, at: 0.2)
        _ = timer.finish()
        timer.start(at: 1)
        timer.mark(.commit, at: 1.2)
        let second = timer.finish()
        #expect(second == nil, "0.2 s, not 0.4 s: the last pass's stages are not carried over")
    }
}
