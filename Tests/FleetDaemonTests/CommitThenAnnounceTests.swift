import FleetCore
import Testing

@testable import FleetDaemon

/// SPEC §7 without SQLite: every event is committed before its line is written; the
/// storage-failure OPEN is the one line written before its commit; lines not written before a
/// crash (or while the log failed) are written later, once.
struct CommitThenAnnounceTests {
    private typealias Rig = CommitThenAnnounceRig
    private let storage = Rig.storageIncident

    @Test func aFlushCommitsFirstAndThenAnnouncesWhatWasCommittedInOrder() {
        var machine = CommitThenAnnounce()
        let open = AlertEvent(time: 1, kind: .open, priority: .p2, incidentID: 1, fields: [])
        let update = AlertEvent(time: 2, kind: .update, priority: .p2, incidentID: 1, fields: [])
        machine.add([.announce(open), .announce(update)])
        #expect(machine.flush() == [.commit([.announce(open), .announce(update)])])
        var stored = [open, update]
        stored[0].sequence = 7
        stored[1].sequence = 8
        #expect(machine.committed(stored) == [.announce(stored, through: 8)])
        #expect(machine.pending.isEmpty)
        #expect(machine.flush().isEmpty)
    }

    @Test func lastSeenUpdatesAloneStillCommit() {
        var machine = CommitThenAnnounce()
        #expect(machine.flush(withLastSeen: true) == [.commit([])])
        #expect(machine.committed([]).isEmpty)
    }

    @Test func aFailingDatabaseRaisesStorageFailureOnceWhoseOpenLineIsTheOneWrittenBeforeItsCommit() {
        var rig = Rig()
        rig.databaseWorks = false
        rig.produce([.open], incident: 1)
        rig.flush()
        #expect(rig.database.isEmpty)
        #expect(rig.lines(of: storage).count == 1)
        #expect(rig.lines(of: 1).isEmpty)
        rig.flush()
        rig.flush()
        #expect(rig.notes == ["failing database"])
        #expect(rig.log.count == 1)

        rig.databaseWorks = true
        rig.flush()
        #expect(rig.database.map(\.incidentID) == [1, storage])
        #expect(rig.lines(of: 1).count == 1)
        #expect(rig.lines(of: storage).count == 1, "the OPEN written before its commit is not written again")
        #expect(rig.notes == ["failing database", "recovered database"])
        rig.flush()
        #expect(rig.lines(of: storage).last?.hasPrefix("RESOLVE") == true)
        #expect(rig.announcedThrough == rig.database.last?.sequence)
    }

    @Test func whileTheLogFailsCommittedLinesWaitAndAreWrittenOnceWhenItWorks() {
        var rig = Rig()
        rig.logWorks = false
        rig.produce([.open, .update], incident: 1)
        rig.flush()
        #expect(rig.database.count == 2)
        #expect(rig.notes == ["failing alertLog"])
        rig.flush()  // commits the storage-failure OPEN; its line waits too
        rig.produce([.ack], incident: 1)
        rig.flush()
        rig.retry()
        #expect(rig.log.isEmpty)
        #expect(rig.announcedThrough == 0)

        rig.logWorks = true
        rig.retry()
        #expect(rig.log.count == 4)
        #expect(Set(rig.log).count == 4)
        #expect(rig.lines(of: 1).map { $0.prefix(4) } == ["OPEN", "UPDA", "ACK "])
        #expect(rig.notes.last == "recovered alertLog")
        rig.retry()
        rig.flush()
        #expect(rig.log.count == 5, "only the storage-failure's RESOLVE is new")
    }

    @Test func storageFailureClearsOnlyOnceBothTheDatabaseAndTheLogWork() {
        var rig = Rig()
        rig.databaseWorks = false
        rig.logWorks = false
        rig.produce([.open], incident: 1)
        rig.flush()
        rig.databaseWorks = true
        rig.flush()
        rig.flush()
        #expect(!rig.log.contains { $0.hasPrefix("RESOLVE") })
        #expect(rig.machine.failing == [.alertLog])
        rig.logWorks = true
        rig.retry()
        rig.flush()
        #expect(rig.machine.failing.isEmpty)
        #expect(rig.lines(of: storage).map { String($0.prefix(4)) } == ["OPEN", "RESO"])
        #expect(rig.lines(of: 1).count == 1)
    }

    /// With the database and the log failing together (a full disk), the storage-failure OPEN
    /// cannot be written before its commit; it is written once the log works, not skipped.
    @Test func anOpenLineThatCouldNotBeWrittenBeforeItsCommitIsWrittenAfterIt() {
        var rig = Rig()
        rig.databaseWorks = false
        rig.logWorks = false
        rig.produce([.open], incident: 1)
        rig.flush()
        #expect(rig.log.isEmpty)
        rig.databaseWorks = true
        rig.logWorks = true
        rig.flush()
        rig.retry()
        #expect(rig.lines(of: storage).count == 1)
        #expect(rig.lines(of: 1).count == 1)
    }

    @Test func aWriteThatFailsHalfwayLeavesTheRestForTheReplayAndNothingTwice() {
        var rig = Rig()
        rig.produce([.open, .update, .ack], incident: 1)
        rig.logAccepts = 1
        rig.flush()
        #expect(rig.log.count == 1)
        #expect(rig.announcedThrough == 0)
        rig.logWorks = true
        rig.retry()
        #expect(rig.lines(of: 1).count == 3)
        #expect(Set(rig.log).count == rig.log.count)
    }

    @Test func linesCommittedBeforeACrashAreWrittenAtTheNextStartOnce() {
        var rig = Rig()
        rig.produce([.open, .update], incident: 1)
        rig.logAccepts = 1  // the process dies after the first line
        rig.flush()
        rig.logWorks = true
        rig.restart()
        #expect(rig.lines(of: 1).count == 2)
        rig.restart()
        #expect(rig.lines(of: 1).count == 2, "a second start writes nothing again")
        #expect(rig.announcedThrough == 2)
    }

    @Test func unwrittenLeavesOutLinesAlreadyAtTheEndOfTheLog() {
        let events = (1...3).map {
            AlertEvent(
                sequence: Int64($0), time: Double($0), kind: .open, priority: .p1,
                incidentID: Int64($0), fields: [])
        }
        let written = Set(events.prefix(2).map(Rig.line))
        #expect(CommitThenAnnounce.unwritten(events, amongLines: written, render: Rig.line) == [events[2]])
        #expect(CommitThenAnnounce.unwritten(events, amongLines: [], render: Rig.line) == events)
    }
}
