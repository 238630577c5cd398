import XCTest

@testable import FleetCore

final class LinkQualityTests: XCTestCase {
    private func quality(
        window: Double = 3600, maxLoss: Double = 0.2, minExpected: Int = 20,
        rebootLimit: Int = 3
    ) -> LinkQuality {
        var settings = DetectionSettings()
        settings.qualityWindowSeconds = window
        settings.maxLossRatio = maxLoss
        settings.minExpected = minExpected
        settings.rebootLimit = rebootLimit
        var q = LinkQuality(settings, origin: at(0).monotonic)
        q.added(0)
        return q
    }

    private func beat(seq: Int64? = nil, uptime: Double? = nil, ts: Double? = nil) -> Heartbeat {
        var b = Heartbeat()
        b.seq = seq
        b.uptimeSeconds = uptime
        b.timestamp = ts
        return b
    }

    /// Feeds heartbeats one second apart (so the window barely decays) and returns the stats.
    @discardableResult
    private func feed(
        _ q: inout LinkQuality, seqs: [Int64?], uptimes: [Double?]? = nil,
        start: Double = 1
    ) -> LinkStats {
        for (n, seq) in seqs.enumerated() {
            _ = q.observe(0, beat(seq: seq, uptime: uptimes?[n]), at: at(start + Double(n)))
        }
        return q.stats(0, at: at(start + Double(seqs.count - 1)).monotonic)
    }

    private func assertCounts(
        _ s: LinkStats, received: Double, lost: Double, duplicates: Double = 0,
        outOfOrder: Double = 0, reboots: Int = 0, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(s.received, received, accuracy: received * 0.01 + 0.01, "received", file: file, line: line)
        XCTAssertEqual(s.lost, lost, accuracy: lost * 0.01 + 0.01, "lost", file: file, line: line)
        XCTAssertEqual(
            s.duplicates, duplicates, accuracy: duplicates * 0.01 + 0.01, "duplicates", file: file, line: line)
        XCTAssertEqual(
            s.outOfOrder, outOfOrder, accuracy: outOfOrder * 0.01 + 0.01, "out_of_order", file: file, line: line)
        XCTAssertEqual(s.reboots, reboots, "reboots", file: file, line: line)
    }

    func testTheRecordFitsTheBudgetOf32BytesPerDevice() {
        XCTAssertEqual(MemoryLayout<LinkRecord>.stride, 32)
        XCTAssertEqual(MemoryLayout<LatencyQuantiles>.size, 10)
    }

    // MARK: seq

    func testAGapCountsTheMissingHeartbeats() {
        var q = quality()
        assertCounts(feed(&q, seqs: [1, 2, 5, 6, 10]), received: 5, lost: 5)
    }

    func testTheFirstSeqSeenCountsNothingBeforeIt() {
        var q = quality()
        assertCounts(feed(&q, seqs: [500, 501]), received: 2, lost: 0)
    }

    func testAHeartbeatWithTheSameSeqIsADuplicate() {
        var q = quality()
        assertCounts(feed(&q, seqs: [1, 2, 2, 3, 3, 3]), received: 6, lost: 0, duplicates: 3)
    }

    func testALateHeartbeatIsOutOfOrderAndNoLongerLost() {
        var q = quality()
        assertCounts(feed(&q, seqs: [21, 22, 24, 23, 25]), received: 5, lost: 0, outOfOrder: 1)
        var swapped = quality()
        assertCounts(feed(&swapped, seqs: [22, 21, 24, 23, 26, 25, 28, 27]), received: 8, lost: 0, outOfOrder: 4)
    }

    func testALateHeartbeatWithItsLowerUptimeIsNotAReboot() {
        var q = quality()
        let s = feed(&q, seqs: [20, 21, 23, 22, 24], uptimes: [200, 210, 230, 220, 240])
        assertCounts(s, received: 5, lost: 0, outOfOrder: 1, reboots: 0)
    }

    func testADecreasingUptimeIsARebootAndNothingIsLostAcrossIt() {
        var q = quality()
        let s = feed(&q, seqs: [40, 41, 42, 0, 1, 2], uptimes: [400, 410, 420, 3, 13, 23])
        assertCounts(s, received: 6, lost: 0, reboots: 1)
    }

    func testACounterThatSurvivesTheRebootIsNotCountedAsAGap() {
        var q = quality()
        let s = feed(&q, seqs: [40, 41, 60, 61], uptimes: [400, 410, 5, 15])
        assertCounts(s, received: 4, lost: 0, reboots: 1)
    }

    func testWithoutUptimeASeqDropToTenOrLessIsAReboot() {
        var q = quality()
        assertCounts(feed(&q, seqs: [50, 51, 0, 1]), received: 4, lost: 0, reboots: 1)
        var notReboot = quality()
        assertCounts(feed(&notReboot, seqs: [50, 51, 30, 52]), received: 4, lost: 0, outOfOrder: 1, reboots: 0)
        var ten = quality()
        assertCounts(feed(&ten, seqs: [50, 51, 10, 11]), received: 4, lost: 0, reboots: 1)
        var eleven = quality()
        assertCounts(feed(&eleven, seqs: [50, 51, 11]), received: 3, lost: 0, outOfOrder: 1, reboots: 0)
    }

    func testARebootRightAfterAGapKeepsTheGapAndAddsNothing() {
        var q = quality()
        assertCounts(feed(&q, seqs: [1, 2, 3, 6, 0, 1]), received: 6, lost: 2, reboots: 1)
        var withUptime = quality()
        let s = feed(&withUptime, seqs: [1, 2, 3, 6, 0, 1], uptimes: [10, 20, 30, 60, 2, 12])
        assertCounts(s, received: 6, lost: 2, reboots: 1)
    }

    func testARebootByUptimeWithoutSeq() {
        var q = quality()
        assertCounts(
            feed(&q, seqs: [nil, nil, nil, nil], uptimes: [100, 110, 4, 14]), received: 4, lost: 0, reboots: 1)
    }

    func testSeqWrapAndOverflow() {
        // A 32-bit counter wrapping to 0 reads as the next heartbeat (serial arithmetic).
        var wrap32 = quality()
        let max32 = Int64(UInt32.max)
        assertCounts(feed(&wrap32, seqs: [max32 - 1, max32, 0, 1], uptimes: [10, 20, 30, 40]), received: 4, lost: 0)
        // A 16-bit counter wrapping, with uptime going on: the counter started over, nothing counted.
        var wrap16 = quality()
        assertCounts(feed(&wrap16, seqs: [65534, 65535, 0, 1], uptimes: [10, 20, 30, 40]), received: 4, lost: 0)
        // Without uptime_s the same drop to 0 is a reboot (SPEC §11).
        var wrap16NoUptime = quality()
        assertCounts(feed(&wrap16NoUptime, seqs: [65534, 65535, 0, 1]), received: 4, lost: 0, reboots: 1)
        // Int64 at its limit: no trap, and a jump to it is a restart, not 2^63 lost heartbeats.
        var top = quality()
        assertCounts(feed(&top, seqs: [Int64.max - 2, Int64.max - 1, Int64.max]), received: 3, lost: 0)
        var jump = quality()
        assertCounts(feed(&jump, seqs: [5, 6, 2_000_000_000, 2_000_000_001]), received: 4, lost: 0)
        // A jump within the restart distance is loss; beyond it, a restart.
        var far = quality()
        assertCounts(feed(&far, seqs: [1, 1001, 1002, 5000, 5001]), received: 5, lost: 999)
    }

    func testMissingFieldsCountOnlyWhatTheyCan() {
        var q = quality()
        let s = feed(&q, seqs: [nil, nil, 3, nil, 5])
        assertCounts(s, received: 5, lost: 1)
        XCTAssertNil(s.latencyP50)
        XCTAssertNil(s.latencyP95)
        XCTAssertNil(q.uptime(0))
    }

    // MARK: the decaying window

    func testEveryOtherHeartbeatLostIsALossRatioOfOneHalfOnASteadyLink() {
        var q = quality()
        var seq: Int64 = 0
        // Ten windows of a 10 s heartbeat with every other one lost.
        for n in 0..<3600 {
            _ = q.observe(0, beat(seq: seq), at: at(Double(n) * 20))
            seq += 2
        }
        let s = q.stats(0, at: at(3599 * 20).monotonic)
        XCTAssertEqual(s.lossRatio, 0.5, accuracy: 0.05)
        // About a window of them: 360 heartbeats sent in 3600 s.
        XCTAssertEqual(s.expected, 360, accuracy: 36)
    }

    func testOneInFourLostIsAQuarter() {
        var q = quality()
        var seq: Int64 = 0
        for n in 0..<2000 {
            _ = q.observe(0, beat(seq: seq), at: at(Double(n) * 10))
            seq += n % 3 == 2 ? 2 : 1  // 3 received, 1 lost
        }
        XCTAssertEqual(q.stats(0, at: at(19_990).monotonic).lossRatio, 0.25, accuracy: 0.05)
    }

    func testOldLossFadesAfterAFewWindowsOfCleanHeartbeats() {
        var q = quality()
        var seq: Int64 = 0
        for n in 0..<360 {  // one window with every other lost
            _ = q.observe(0, beat(seq: seq), at: at(Double(n) * 10))
            seq += 2
        }
        for n in 360..<(360 + 1080) {  // three windows clean
            _ = q.observe(0, beat(seq: seq), at: at(Double(n) * 10))
            seq += 1
        }
        XCTAssertLessThan(q.stats(0, at: at(14_390).monotonic).lossRatio, 0.05)
    }

    func testStatsAreDecayedToTheMomentTheyAreRead() {
        var q = quality()
        feed(&q, seqs: Array(1...100))
        XCTAssertEqual(q.stats(0, at: at(100).monotonic).received, 100, accuracy: 3)
        XCTAssertEqual(q.stats(0, at: at(100 + 3600).monotonic).received, 100 / M_E, accuracy: 3)
    }

    func testASilenceLongerThanSixteenHalfLivesEmptiesTheCounters() {
        var q = quality(window: 10)
        feed(&q, seqs: [1, 2, 5])
        _ = q.observe(0, beat(seq: 6), at: at(1000))
        XCTAssertEqual(q.stats(0, at: at(1000).monotonic).lost, 0, accuracy: 0.001)
        XCTAssertEqual(q.stats(0, at: at(1000).monotonic).received, 1, accuracy: 0.001)
    }

    func testTheSweepKeepsTheDecayClockOfASilentDeviceFromWrapping() {
        var q = quality(window: 10)  // a tick is 27 ms: 65536 ticks are 30 minutes
        feed(&q, seqs: [1, 2, 5])
        q.sweep(at: at(1000).monotonic)  // 16 half-lives later: emptied, clock restarted
        // Exactly one wrap of the 16-bit clock after the last heartbeat: without the sweep the
        // counters would look undecayed.
        let wrapped = 3 + 65536 * LinkQuality.tickSeconds(window: 10)
        _ = q.observe(0, beat(seq: 6), at: at(wrapped))
        XCTAssertEqual(q.stats(0, at: at(wrapped).monotonic).lost, 0, accuracy: 0.01)
    }

    // MARK: the rules

    func testDataLossNeedsTheRatioAndEnoughExpectedHeartbeats() {
        var q = quality()
        var changes: [LinkQuality.Changes] = []
        var seq: Int64 = 0
        for n in 0..<12 {  // every other lost: 20 expected after the 11th
            changes.append(q.observe(0, beat(seq: seq), at: at(Double(n))))
            seq += 2
        }
        XCTAssertEqual(changes.firstIndex { $0.dataLoss == true }, 10, "opens at 21 expected")
        XCTAssertEqual(changes.filter { !$0.isEmpty }.count, 1, "said once")
        XCTAssertEqual(q.devicesWithDataLossForTest, 1)
        XCTAssertTrue(q.isHolding(0, .dataLoss))
    }

    func testDataLossClearsWhenTheRatioFallsBelow() {
        var q = quality(window: 100)
        var seq: Int64 = 0
        var t = 0.0
        for _ in 0..<60 {
            _ = q.observe(0, beat(seq: seq), at: at(t))
            seq += 2
            t += 1
        }
        XCTAssertTrue(q.isHolding(0, .dataLoss))
        var cleared: Double?
        while cleared == nil && t < 1000 {
            if q.observe(0, beat(seq: seq), at: at(t)).dataLoss == false { cleared = t }
            seq += 1
            t += 1
        }
        XCTAssertNotNil(cleared)
        XCTAssertLessThan(q.stats(0, at: at(t).monotonic).lossRatio, 0.2)
        XCTAssertEqual(q.devicesWithDataLossForTest, 0)
    }

    func testRebootLoopOpensAtTheLimitWithinTheWindowAndClearsWhenFewer() {
        var q = quality(window: 600, minExpected: 5)
        var opened: Double?
        var cleared: Double?
        // Reboots at 100, 300 and 500 s, spread over the window: three within it.
        for n in 0..<600 {
            let sinceBoot = (n + 100) % 200
            let change = q.observe(0, beat(seq: Int64(sinceBoot), uptime: Double(sinceBoot)), at: at(Double(n)))
            if change.rebootLoop == true { opened = opened ?? Double(n) }
            if change.rebootLoop == false { cleared = cleared ?? Double(n) }
        }
        XCTAssertEqual(opened, 500)
        for n in 600..<1200 {  // no more reboots
            if q.observe(0, beat(seq: Int64(n), uptime: Double(n)), at: at(Double(n))).rebootLoop == false {
                cleared = cleared ?? Double(n)
            }
        }
        XCTAssertEqual(cleared, 700, "the reboot at 100 s leaves the window at 700 s")
        XCTAssertEqual(q.stats(0, at: at(1000).monotonic).reboots, 1)
    }

    func testARestoredIncidentHoldsUntilTheWindowHasEvidence() {
        var q = quality(minExpected: 20)
        q.restoreHolding(0, .dataLoss)
        q.restoreHolding(0, .rebootLoop)
        var changes: [LinkQuality.Changes] = []
        for n in 0..<25 { changes.append(q.observe(0, beat(seq: Int64(100 + n)), at: at(Double(n) * 0.01))) }
        XCTAssertEqual(changes.firstIndex { !$0.isEmpty }, 19, "the 20th heartbeat is the evidence")
        XCTAssertEqual(changes[19], LinkQuality.Changes(dataLoss: false, rebootLoop: false))
    }

    // MARK: latency

    func testLatencyOfASteadyLinkIsItsValue() {
        var q = quality()
        for n in 0..<50 { _ = q.observe(0, beat(seq: Int64(n), ts: at(Double(n)).wall - 0.25), at: at(Double(n))) }
        let s = q.stats(0, at: at(49).monotonic)
        XCTAssertEqual(s.latencyP50 ?? 0, 250, accuracy: 1)
        XCTAssertEqual(s.latencyP95 ?? 0, 250, accuracy: 1)
    }

    func testLatencyQuantilesOfASpreadDistribution() {
        var l = LatencyQuantiles()
        // 0…999 ms in a scrambled order, many times over.
        for round in 0..<20 {
            for i in 0..<1000 { l.add(Double((i * 617 + round * 31) % 1000)) }
        }
        XCTAssertEqual(Double(l.p50), 500, accuracy: 60)
        XCTAssertEqual(Double(l.p95), 950, accuracy: 60)
    }

    func testLatencyTailShowsInP95NotInP50() {
        var l = LatencyQuantiles()
        for i in 0..<2000 { l.add(i % 10 == 0 ? 1000 : 10) }
        XCTAssertEqual(Double(l.p50), 10, accuracy: 2)
        XCTAssertEqual(Double(l.p95), 1000, accuracy: 100)
    }

    func testLatencyMayBeNegativeWithAFastDeviceClock() {
        var l = LatencyQuantiles()
        for _ in 0..<30 { l.add(-2000) }
        XCTAssertEqual(Double(l.p50), -2000, accuracy: 1)
    }

    func testAnOutlierFirstSampleIsForgottenWithinAFewHeartbeats() {
        var l = LatencyQuantiles()
        l.add(60_000)  // waited a minute in the broker while the daemon restarted
        for _ in 0..<10 { l.add(20) }
        XCTAssertEqual(Double(l.p50), 20, accuracy: 1)
        for _ in 0..<150 { l.add(20) }
        XCTAssertEqual(Double(l.p95), 20, accuracy: 1)
    }

    func testALatencyChangeIsFollowed() {
        var l = LatencyQuantiles()
        for i in 0..<500 { l.add(Double(10 + i % 5)) }
        for i in 0..<60 { l.add(Double(400 + i % 20)) }
        XCTAssertEqual(Double(l.p50), 410, accuracy: 30)
        XCTAssertEqual(Double(l.p95), 419, accuracy: 30)
    }

    func testUptimeIsTheHighestOfTheCurrentBoot() {
        var q = quality()
        feed(&q, seqs: [21, 23, 22], uptimes: [100, 110.5, 105])  // 22 came late
        XCTAssertEqual(q.uptime(0) ?? 0, 110.5, accuracy: 0.001)
        feed(&q, seqs: [0], uptimes: [2], start: 10)
        XCTAssertEqual(q.uptime(0) ?? 0, 2, accuracy: 0.001)
    }

    func testFleetTotalsCountEveryGapDuplicateAndReboot() {
        var q = quality()
        feed(&q, seqs: [1, 3, 3, 0], uptimes: nil)
        XCTAssertEqual(
            q.totals,
            {
                var t = LinkTotals()
                t.lost = 1
                t.duplicates = 1
                t.reboots = 1
                return t
            }())
    }
}

extension LinkQuality {
    var devicesWithDataLossForTest: Int { dataLossCount }
}
