import Testing

@testable import FleetDaemon

/// Issue 11, item 5: when the daemon probes its broker, and what an echo or its absence means.
struct LinkProbeTests {
    /// Connected at 100, the first probe answered.
    private func working() -> LinkProbe {
        var probe = LinkProbe()
        probe.connected(at: 100)
        let first = probe.due(at: 100, awaiting: nil)
        #expect(first == 1)
        #expect(probe.echoed(1) == .delivered(through: 100))
        return probe
    }

    @Test func aProbeGoesOutAtConnectAndThenEverySecond() {
        var probe = working()
        #expect(probe.due(at: 100.5, awaiting: nil) == nil)
        #expect(probe.due(at: 101, awaiting: nil) == 2)
        #expect(probe.echoed(2) == .delivered(through: 101))
        #expect(probe.echoed(2) == nil, "answered once")
    }

    @Test func aDeadlineDueNowGetsAProbeAtOnceButOnlyOne() {
        var probe = working()
        #expect(probe.due(at: 100.3, awaiting: 100.25) == 2, "due after the last probe: proof needed")
        #expect(probe.due(at: 100.35, awaiting: 100.25) == nil, "the probe sent at 100.3 will prove it")
        #expect(probe.due(at: 100.303, awaiting: 100.302) == nil, "no closer together than 5 ms")
        #expect(probe.due(at: 100.4, awaiting: 100.38) == 3)
        #expect(probe.echoed(3) == .delivered(through: 100.4), "a later echo answers the earlier probe too")
        #expect(probe.echoed(2) == nil)
    }

    @Test func aProbeNotBackWithinThreeSecondsIsAStallUntilOneComesBack() {
        var probe = working()
        var sequences: [UInt64] = []
        var stalls: [LinkProbe.Verdict] = []
        for step in 1...60 {  // 6 s in 0.1 s passes, the broker answering nothing
            let now = 100 + Double(step) / 10
            if let sequence = probe.due(at: now, awaiting: nil) { sequences.append(sequence) }
            if let verdict = probe.check(at: now) { stalls.append(verdict) }
        }
        #expect(stalls == [.stalled], "said once")
        #expect(probe.stalled)
        #expect(sequences.count == 6, "still probing every second, to see it come back")
        #expect(probe.due(at: 106.5, awaiting: 106.4) == nil, "no deadline probes while stalled")
        #expect(probe.echoed(sequences[4]) == .resumed(through: 105))
        #expect(!probe.stalled)
    }

    @Test func aBrokerThatNeverEchoesIsReportedOnceAndNeverStalls() {
        var probe = LinkProbe()
        probe.connected(at: 0)
        var verdicts: [LinkProbe.Verdict] = []
        var sent = 0
        for step in 0...100 {
            let now = Double(step) / 10
            if probe.due(at: now, awaiting: now - 0.05) != nil { sent += 1 }
            if let verdict = probe.check(at: now) { verdicts.append(verdict) }
        }
        #expect(verdicts == [.neverAnswered])
        #expect(!probe.stalled)
        #expect(sent == 11, "once a second only: deadline probes need a broker that answers")
    }

    @Test func theDaemonsOwnPauseIsNotTheBrokers() {
        var probe = working()
        #expect(probe.due(at: 101, awaiting: nil) == 2)
        #expect(probe.check(at: 101.1) == nil)
        // The daemon was stopped for 10 s: the echo is waiting in its socket, unread.
        #expect(probe.check(at: 111.1) == nil)
        #expect(probe.echoed(2) == .delivered(through: 101))
        // A probe that then stays unanswered for 3 s (the loop checking every 0.1 s) is a stall.
        #expect(probe.due(at: 111.2, awaiting: nil) == 3)
        var verdicts: [LinkProbe.Verdict] = []
        for step in 1...31 { if let verdict = probe.check(at: 111.1 + Double(step) / 10) { verdicts.append(verdict) } }
        #expect(verdicts == [])
        #expect(probe.check(at: 114.3) == .stalled)
    }

    @Test func whileDisconnectedNothingIsSentAndOldEchoesMeanNothing() {
        var probe = working()
        #expect(probe.due(at: 101, awaiting: nil) == 2)
        probe.disconnected()
        #expect(probe.due(at: 103, awaiting: 102) == nil)
        #expect(probe.check(at: 110) == nil)
        #expect(probe.echoed(2) == nil)
        probe.connected(at: 120)
        #expect(probe.due(at: 120, awaiting: nil) == 3)
    }
}
