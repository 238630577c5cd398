import Foundation
import Logging
import Synchronization
import Testing

@testable import FleetDaemon

/// The daemon's lifecycle: services start in order, stop in reverse, each stopped only after the
/// ones started after it have finished; a start that fails undoes the ones before it.
struct ServiceGroupTests {
    /// What every service did, in order, across threads.
    final class Journal: Sendable {
        private let entries = Mutex<[String]>([])
        func note(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// A background service whose run() blocks until stop().
    final class Blocking: Service, Sendable {
        let name: String
        let journal: Journal
        let failsToStart: Bool
        private let stopped = DispatchSemaphore(value: 0)

        init(_ name: String, _ journal: Journal, failsToStart: Bool = false) {
            self.name = name
            self.journal = journal
            self.failsToStart = failsToStart
        }

        func start() throws {
            if failsToStart { throw DaemonError("\(name) cannot start") }
            journal.note("start \(name)")
        }

        func run() {
            stopped.wait()
            Thread.sleep(forTimeInterval: 0.05)  // still finishing when stop() has returned
            journal.note("ran \(name)")
        }

        func stop() {
            journal.note("stop \(name)")
            stopped.signal()
        }
    }

    /// The foreground service: its run() returns by itself (as the engine loop does on SIGTERM).
    final class Foreground: Service {
        let name = "loop"
        let journal: Journal
        var ranOn: Thread?
        init(_ journal: Journal) { self.journal = journal }
        func start() throws { journal.note("start loop") }
        func run() {
            ranOn = Thread.current
            journal.note("ran loop")
        }
        func stop() { journal.note("stop loop") }
    }

    @Test func servicesStartInOrderAndStopInReverseEachAfterTheLaterOnesFinished() throws {
        let journal = Journal()
        let group = ServiceGroup(logger: Logger(label: "test"))
        let loop = Foreground(journal)
        try group.start(Blocking("control", journal))
        try group.startInForeground(loop)
        try group.start(Blocking("broker", journal))
        group.run()
        #expect(
            journal.all == [
                "start control", "start loop", "start broker", "ran loop",
                "stop broker", "ran broker", "stop loop", "stop control", "ran control",
            ])
        #expect(loop.ranOn == Thread.current)
    }

    @Test func aServiceThatFailsToStartStopsTheOnesAlreadyStartedAndNoOthers() throws {
        let journal = Journal()
        let group = ServiceGroup(logger: Logger(label: "test"))
        try group.start(Blocking("control", journal))
        try group.startInForeground(Foreground(journal))
        #expect(throws: DaemonError.self) { try group.start(Blocking("metrics", journal, failsToStart: true)) }
        group.stop()
        #expect(journal.all == ["start control", "start loop", "stop loop", "stop control", "ran control"])
    }
}
