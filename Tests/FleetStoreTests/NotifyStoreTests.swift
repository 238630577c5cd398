import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// Channel positions (notify_channels) and the filter the notifier and the CLI share.
final class NotifyStoreTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func event(_ kind: AlertEvent.Kind, _ priority: Priority = .p2, site: String? = "tianshan") -> EngineEffect
    {
        var fields: [AlertEvent.Field] = [.init("rule", "offline")]
        if let site { fields.append(.init("site", site)) }
        fields.append(.init("msg", "x"))
        return .announce(AlertEvent(time: 1_795_699_804, kind: kind, priority: priority, incidentID: 1, fields: fields))
    }

    private func channel(_ configure: (inout NotifyChannel) -> Void = { _ in }) -> NotifyChannel {
        var channel = NotifyChannel()
        channel.name = "oncall"
        configure(&channel)
        return channel
    }

    func testANewChannelStartsAfterTheNewestEventAndARemovedOneIsDropped() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([event(.open), event(.resolve)])
        try writer.syncNotifyChannels(["oncall"], at: 1)
        _ = try writer.commit([event(.open)])
        try writer.syncNotifyChannels(["oncall", "am"], at: 2)
        let notify = try NotifyStore(path: path)
        XCTAssertEqual(try notify.channel("oncall")?.through, 2, "not sent the history")
        XCTAssertEqual(try notify.channel("am")?.through, 3)
        XCTAssertEqual(try notify.events(for: channel(), after: 2, limit: 10).events.map(\.sequence), [3])

        try writer.syncNotifyChannels(["am"], at: 3)
        XCTAssertNil(try notify.channel("oncall"), "a removed channel's backlog is dropped")
        try writer.syncNotifyChannels(["am", "oncall"], at: 4)
        XCTAssertEqual(try notify.channel("oncall")?.through, 3, "added again: starts from now")
        XCTAssertFalse(try notify.instance.isEmpty)
    }

    func testTheFilterSelectsEventsPrioritiesAndSitesAndThePositionNeverMovesBack() throws {
        let writer = try StoreWriter(path: path)
        try writer.syncNotifyChannels(["oncall"], at: 0)
        _ = try writer.commit([
            event(.open), event(.note), event(.open, .p1, site: "central"), event(.open, site: nil),
            event(.resolve),
        ])
        let notify = try NotifyStore(path: path)
        XCTAssertEqual(try notify.events(for: channel(), after: 0, limit: 10).events.map(\.sequence), [1, 3, 4, 5])
        let batch = try notify.events(for: channel(), after: 0, limit: 2)
        XCTAssertEqual(batch.events.map(\.sequence), [1, 3])
        XCTAssertEqual(batch.head, 5)
        XCTAssertEqual(
            try notify.events(for: channel { $0.priorities = [.p1] }, after: 0, limit: 10).events.map(\.sequence), [3])
        XCTAssertEqual(
            try notify.events(for: channel { $0.sites = ["tianshan"] }, after: 0, limit: 10).events.map(\.sequence),
            [1, 5], "no site (fleet-wide) only without a site filter")
        XCTAssertEqual(
            try notify.events(for: channel { $0.sites = ["central", "tianshan"] }, after: 0, limit: 10)
                .events.map(\.sequence), [1, 3, 5])
        XCTAssertEqual(try notify.pending(for: channel { $0.events = [.open] }, after: 1), 2)

        try notify.advance("oncall", through: 3, delivered: 2, at: 1)
        try notify.recordFailure("oncall", error: "answered HTTP 500", at: 2)
        XCTAssertEqual(
            try notify.channel("oncall"),
            NotifyChannelState(
                name: "oncall", through: 3, delivered: 2, failing: true,
                lastError: "answered HTTP 500", updatedAt: 2))
        try notify.advance("oncall", through: 1, delivered: 0, at: 3)
        XCTAssertEqual(try notify.channel("oncall")?.through, 3, "never back")
        XCTAssertEqual(try notify.channel("oncall")?.failing, false)
        XCTAssertEqual(try StoreReader(path: path).notifyChannels().map(\.name), ["oncall"])
    }

    /// The notifier's reads take no write lock and its connection does not fsync under one: the
    /// engine's commit goes through while a read snapshot is open, and sees the writer's sync.
    func testReadingEventsHoldsNothingTheWritersCommitWaitsFor() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([event(.open)])
        try writer.syncNotifyChannels(["oncall"], at: 1)
        let notify = try NotifyStore(path: path)
        func count(_ db: SQLite.Database) throws -> Int64 {
            var n: Int64 = 0
            try db.prepare("SELECT COUNT(*) FROM events").query { n = $0.int(0) }
            return n
        }
        var synchronous: Int64 = -1
        try notify.db.prepare("PRAGMA synchronous").query { synchronous = $0.int(0) }
        XCTAssertEqual(synchronous, 1, "NORMAL, as the writer's connection")
        try notify.db.readTransaction {
            XCTAssertEqual(try count(notify.db), 1)
            _ = try writer.commit([event(.resolve)])  // 250 ms busy timeout: fails if a write lock is held
            XCTAssertEqual(try count(notify.db), 1, "one snapshot for the whole read")
        }
        XCTAssertEqual(try count(notify.db), 2)
        let (events, _) = try notify.events(for: channel(), after: 0, limit: 10)
        XCTAssertEqual(events.map(\.kind), [.open, .resolve])
    }

    func testTheWarningFlagsSurviveARestart() throws {
        let writer = try StoreWriter(path: path)
        var incident = Incident(
            id: 1, priority: .p2, rule: .offline, scope: .device, device: "robot-01",
            openedAt: 1_795_699_804, summary: "x", announced: true)
        incident.respondWarned = true
        incident.onsiteWarned = true
        _ = try writer.commit([.saveIncident(incident)])
        XCTAssertEqual(try StoreWriter(path: path).restore().unresolvedIncidents, [incident])
    }
}
