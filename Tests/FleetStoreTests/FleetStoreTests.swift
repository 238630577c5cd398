import Foundation
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// Real SQLite files in a fresh temporary directory per test.
final class FleetStoreTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetstore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: fixtures

    private let t0 = 1_795_699_804.0  // 2026-11-26T21:30:04+08:00

    private func device(
        _ id: String, site: String = "tianshan", kind: String = "delivery-robot",
        state: DeviceState = .online
    ) -> DeviceRecord {
        DeviceRecord(
            id: id, site: site, kind: kind, name: nil, inventory: false, state: state, stateSince: t0,
            lastSeen: t0 - 1)
    }

    private func incident(
        _ id: Int64, rule: String = "offline", device: String? = "robot-01",
        priority: Priority = .p2, status: IncidentStatus = .open
    ) -> Incident {
        Incident(
            id: id, priority: priority, status: status, rule: RuleID(rule), scope: device == nil ? .site : .device,
            site: "tianshan", kind: device == nil ? nil : "delivery-robot", device: device,
            openedAt: t0 + Double(id), respondBy: t0 + 46800, summary: "no heartbeat for 30s (expected every 10s)",
            announced: true)
    }

    private func event(
        _ kind: AlertEvent.Kind, incident: Int64, at time: Double,
        fields: [AlertEvent.Field] = [.init("rule", "offline")]
    ) -> AlertEvent {
        AlertEvent(time: time, kind: kind, priority: .p2, incidentID: incident, fields: fields)
    }

    // MARK: schema

    func testMigrationsCreateTheSchemaOnAFreshFile() throws {
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let writer = try StoreWriter(path: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try Schema.userVersion(writer.db), Schema.migrations.count)
        var tables: [String] = []
        try writer.db.prepare(
            """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """
        ).query { tables.append($0.text(0)) }
        XCTAssertEqual(
            tables,
            [
                "daemon_status", "device_details", "device_states", "devices", "events", "forecasts",
                "history_devices", "history_hours", "history_metrics", "history_samples",
                "history_series", "incidents",
                "maintenance", "meta", "notify_channels",
            ])
        var journal = ""
        try writer.db.prepare("PRAGMA journal_mode").query { journal = $0.text(0) }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(try writer.restore().nextIncidentID, 1)
        XCTAssertEqual(try writer.unannouncedEvents(), [])
    }

    func testReopeningKeepsTheDataAndDoesNotMigrateAgain() throws {
        do {
            let writer = try StoreWriter(path: path)
            _ = try writer.commit([.saveDevice(device("robot-01"))])
        }
        let writer = try StoreWriter(path: path)
        XCTAssertEqual(try Schema.userVersion(writer.db), Schema.migrations.count)
        XCTAssertEqual(try writer.restore().devices, [device("robot-01")])
    }

    func testADatabaseFromANewerBuildIsRefused() throws {
        do {
            let writer = try StoreWriter(path: path)
            try writer.db.execute("PRAGMA user_version = \(Schema.migrations.count + 1)")
        }
        XCTAssertThrowsError(try StoreWriter(path: path)) { error in
            XCTAssertTrue("\(error)".contains("newer than this build"), "\(error)")
        }
    }

    // MARK: commit and read back

    func testDevicesRoundTripThroughTheReader() throws {
        let writer = try StoreWriter(path: path)
        let full = DeviceRecord(
            id: "robot-01", site: "tianshan", kind: "delivery-robot", name: "3F 配送机器人",
            inventory: true, state: .degraded, stateSince: t0 + 0.125, lastSeen: t0 + 0.5,
            clockSkewed: true, firmware: "2.4.1")
        let bare = DeviceRecord(
            id: "gate-1", site: "central", kind: "face-gate", inventory: false, state: .unknown,
            stateSince: t0)
        XCTAssertEqual(try writer.commit([.saveDevice(full), .saveDevice(bare)]), [])

        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.devices(), [bare, full])  // ordered by site, kind, id
        XCTAssertEqual(try reader.devices(site: "tianshan"), [full])
        XCTAssertEqual(try reader.devices(kind: "face-gate"), [bare])
        XCTAssertEqual(try reader.devices(state: .degraded), [full])
        XCTAssertEqual(try reader.devices(site: "tianshan", state: .online), [])
    }

    func testSavingADeviceAgainUpdatesItsRow() throws {
        let writer = try StoreWriter(path: path)
        var record = device("robot-01")
        _ = try writer.commit([.saveDevice(record)])
        record.state = .offline
        record.stateSince = t0 + 30
        record.name = "renamed"
        _ = try writer.commit([.saveDevice(record)])
        XCTAssertEqual(try StoreReader(path: path).devices(), [record])
    }

    func testLastSeenIsFlushedWithoutTouchingTheRestOfTheRow() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([.saveDevice(device("robot-01")), .saveDevice(device("robot-02"))])
        XCTAssertEqual(try writer.commit([], lastSeen: [("robot-02", t0 + 99)]), [])
        let devices = try StoreReader(path: path).devices()
        XCTAssertEqual(devices.map(\.lastSeen), [t0 - 1, t0 + 99])
        XCTAssertEqual(devices.map(\.state), [.online, .online])
    }

    /// Two full statements of `lastSeenRowsPerStatement` rows and a remainder one row at a time:
    /// every row gets its own value, and devices left out keep theirs.
    func testAFlushOfManyRowsWritesEachItsOwnValue() throws {
        let writer = try StoreWriter(path: path)
        let ids = (0..<260).map { "robot-\(1000 + $0)" }
        _ = try writer.commit(ids.map { .saveDevice(device($0)) })
        let flushed = ids.prefix(2 * StoreWriter.lastSeenRowsPerStatement + 50).reversed().enumerated()
            .map { ($0.element, t0 + Double($0.offset)) }
        XCTAssertEqual(try writer.commit([], lastSeen: flushed), [])
        let expected = Dictionary(uniqueKeysWithValues: flushed)
        let devices = try StoreReader(path: path).devices()
        XCTAssertEqual(devices.count, 260)
        for d in devices { XCTAssertEqual(d.lastSeen, expected[d.id] ?? t0 - 1, d.id) }
    }

    func testIncidentsRoundTripWithEveryField() throws {
        let writer = try StoreWriter(path: path)
        let parent = incident(1, rule: "site-outage", device: nil, priority: .p1)
        var child = Incident(
            id: 2, priority: .p1, status: .acknowledged, rule: "repeated-failure", scope: .device,
            site: "tianshan", kind: "delivery-robot", device: "robot-01", parent: 1, flapping: true,
            occurrences: 4, openedAt: t0, acknowledgedAt: t0 + 60.25, resolvedAt: nil,
            respondBy: t0 + 46800, onsiteBy: t0 + 86400, summary: "msg with \"quotes\" = and 天山",
            lastSeenAt: t0 + 120, condition: "offline", announced: false)
        _ = try writer.commit([.saveIncident(parent), .saveIncident(child)])

        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.incident(2), child)
        XCTAssertEqual(try reader.incident(1), parent)
        XCTAssertNil(try reader.incident(3))
        XCTAssertEqual(try reader.children(of: 1), [child])
        XCTAssertEqual(try reader.children(of: 2), [])

        child.status = .resolved
        child.resolvedAt = t0 + 300
        child.occurrences = 5
        child.priority = .p2
        child.announced = true
        _ = try writer.commit([.saveIncident(child)])
        XCTAssertEqual(try reader.incident(2), child)
    }

    func testListingIncidentsFiltersResolvedAndPriority() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveIncident(incident(1, status: .resolved)),
            .saveIncident(incident(2, device: "robot-02")),
            .saveIncident(incident(3, rule: "site-outage", device: nil, priority: .p1, status: .acknowledged)),
        ])
        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.incidents(includeResolved: false).map(\.id), [2, 3])
        XCTAssertEqual(try reader.incidents(includeResolved: true).map(\.id), [1, 2, 3])
        XCTAssertEqual(try reader.incidents(includeResolved: true, priority: .p1).map(\.id), [3])
        XCTAssertEqual(try reader.incidents(includeResolved: false, priority: .p2).map(\.id), [2])
        XCTAssertEqual(try reader.openIncidentCounts(), [.p1: 1, .p2: 1])
    }

    func testDeviceCountsGroupBySiteKindAndState() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveDevice(device("robot-01")), .saveDevice(device("robot-02")),
            .saveDevice(device("robot-03", state: .offline)), .saveDevice(device("gate-1", kind: "face-gate")),
            .saveDevice(device("robot-04", site: "central")),
        ])
        let counts = try StoreReader(path: path).deviceCounts()
            .map { "\($0.site)/\($0.kind)/\($0.state.rawValue)=\($0.count)" }
        XCTAssertEqual(
            counts,
            [
                "central/delivery-robot/online=1", "tianshan/delivery-robot/offline=1",
                "tianshan/delivery-robot/online=2", "tianshan/face-gate/online=1",
            ])
    }

    // MARK: events

    func testEventsGetIncreasingSequenceNumbersAcrossCommits() throws {
        let writer = try StoreWriter(path: path)
        let first = try writer.commit([
            .saveIncident(incident(1)),
            .announce(event(.open, incident: 1, at: t0)),
            .announce(event(.update, incident: 1, at: t0 + 10)),
        ])
        let second = try writer.commit([.announce(event(.resolve, incident: 1, at: t0 + 40))])
        XCTAssertEqual(first.map(\.sequence), [1, 2])
        XCTAssertEqual(second.map(\.sequence), [3])
        XCTAssertEqual(first.map(\.kind), [.open, .update])

        let timeline = try StoreReader(path: path).events(of: 1)
        XCTAssertEqual(timeline, first + second)
    }

    func testEventFieldsRoundTripExactly() throws {
        let writer = try StoreWriter(path: path)
        let fields: [AlertEvent.Field] = [
            .init("rule", "offline"), .init("empty", ""), .init("msg", "no heartbeat for 31.2s (expected every 10s)"),
            .init("note", "a=b \"quoted\" \\ 天山路\nsecond line"), .init("respond_by", "2026-11-27T10:30:04+08:00"),
        ]
        let committed = try writer.commit([
            .announce(
                AlertEvent(
                    time: t0 + 0.12, kind: .slaBreach, priority: .p1,
                    incidentID: 7, fields: fields))
        ])
        let stored = try XCTUnwrap(try StoreReader(path: path).events(of: 7).first)
        XCTAssertEqual(stored, try XCTUnwrap(committed.first))
        XCTAssertEqual(stored.fields, fields)
        XCTAssertEqual(stored.kind, .slaBreach)
        XCTAssertEqual(stored.priority, .p1)
        XCTAssertEqual(stored.time, t0 + 0.12)
    }

    func testEventsOfAnIncidentAreOnlyItsOwn() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .announce(event(.open, incident: 1, at: t0)), .announce(event(.open, incident: 2, at: t0 + 1)),
            .announce(event(.ack, incident: 1, at: t0 + 2)),
        ])
        XCTAssertEqual(try StoreReader(path: path).events(of: 1).map(\.kind), [.open, .ack])
        XCTAssertEqual(try StoreReader(path: path).events(of: 3), [])
    }

    func testUnannouncedEventsAreThoseAfterTheMarkAndTheMarkOnlyMovesForward() throws {
        let writer = try StoreWriter(path: path)
        let events = try writer.commit((0..<4).map { .announce(event(.note, incident: 1, at: t0 + Double($0))) })
        XCTAssertEqual(try writer.unannouncedEvents(), events)

        try writer.markAnnounced(through: events[1].sequence)
        XCTAssertEqual(try writer.unannouncedEvents().map(\.sequence), [3, 4])
        try writer.markAnnounced(through: 1)  // an older mark never moves it back
        XCTAssertEqual(try writer.unannouncedEvents().map(\.sequence), [3, 4])
        try writer.markAnnounced(through: events[3].sequence)
        XCTAssertEqual(try writer.unannouncedEvents(), [])
    }

    func testTheAnnouncedMarkSurvivesARestart() throws {
        do {
            let writer = try StoreWriter(path: path)
            let events = try writer.commit([
                .announce(event(.open, incident: 1, at: t0)),
                .announce(event(.update, incident: 1, at: t0 + 1)),
            ])
            try writer.markAnnounced(through: events[0].sequence)
        }
        let writer = try StoreWriter(path: path)
        XCTAssertEqual(try writer.unannouncedEvents().map(\.kind), [.update])
    }

    // MARK: restore

    func testRestoreReturnsUnresolvedIncidentsAndTheNextIdAfterTheLargest() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveDevice(device("robot-01", state: .offline)), .saveDevice(device("robot-02")),
            .saveIncident(incident(3, device: "robot-02")),
            .saveIncident(incident(5, status: .acknowledged)),
            .saveIncident(incident(9, device: "robot-02", status: .resolved)),
        ])
        let state = try writer.restore()
        XCTAssertEqual(
            state.devices.sorted { $0.id < $1.id },
            [device("robot-01", state: .offline), device("robot-02")])
        XCTAssertEqual(state.unresolvedIncidents.map(\.id).sorted(), [3, 5])
        XCTAssertEqual(state.unresolvedIncidents.first { $0.id == 5 }, incident(5, status: .acknowledged))
        XCTAssertEqual(state.nextIncidentID, 10)  // resolved ids are not reused either
    }

    func testRestoreListsRecentDeviceFailures() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveIncident(incident(1)), .saveIncident(incident(2, device: "robot-02", status: .resolved)),
            .saveIncident(incident(3, rule: "site-outage", device: nil, priority: .p1)),
        ])
        let recent = try writer.restore(failuresSince: t0 + 1.5).recentFailures
        XCTAssertEqual(recent.map(\.0), ["robot-02"])
        XCTAssertEqual(recent.map(\.1), [t0 + 2])
        XCTAssertEqual(try writer.restore().recentFailures.count, 0)
    }

    // MARK: the reader

    func testAReadOnlyReaderWorksWhileTheWriterHoldsTheFile() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([.saveDevice(device("robot-01"))])
        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.devices().map(\.id), ["robot-01"])

        // The writer keeps committing; the same reader sees each commit.
        _ = try writer.commit([.saveDevice(device("robot-02")), .saveIncident(incident(1))])
        XCTAssertEqual(try reader.devices().map(\.id), ["robot-01", "robot-02"])
        XCTAssertEqual(try reader.incidents(includeResolved: false).map(\.id), [1])
        _ = try writer.commit([.saveDevice(device("robot-03"))])
        XCTAssertEqual(try reader.devices().count, 3)
    }

    func testTheReaderWorksAfterTheWriterHasClosed() throws {
        do {
            let writer = try StoreWriter(path: path)
            _ = try writer.commit([.saveDevice(device("robot-01"))])
        }
        XCTAssertEqual(try StoreReader(path: path).devices().map(\.id), ["robot-01"])
    }

    func testAReaderCannotWrite() throws {
        _ = try StoreWriter(path: path)
        let reader = try StoreReader(path: path)
        XCTAssertThrowsError(try reader.db.execute("DELETE FROM devices"))
    }

    func testAReaderOnAFileWithoutSchemaThrows() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        XCTAssertThrowsError(try StoreReader(path: path)) { error in
            XCTAssertTrue("\(error)".contains("no Fleetwatch data yet"), "\(error)")
        }
    }

    func testAReaderOnAMissingFileThrowsAndDoesNotCreateIt() {
        XCTAssertThrowsError(try StoreReader(path: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    // MARK: daemon status

    func testDaemonStatusRoundTripsAndStoppedClearsIt() throws {
        let writer = try StoreWriter(path: path)
        let reader = try StoreReader(path: path)
        XCTAssertNil(try reader.daemonStatus())
        let status = DaemonStatus(
            pid: 4242, startedAt: t0, updatedAt: t0 + 5, brokerConnected: true, accepted: 17_825,
            rejected: ["bad_json": 3, "unknown_kind": 1])
        try writer.writeStatus(status)
        XCTAssertEqual(try reader.daemonStatus(), status)

        var later = status
        later.updatedAt = t0 + 6
        later.accepted = 17_826
        later.rejected = [:]
        try writer.writeStatus(later)
        XCTAssertEqual(try reader.daemonStatus(), later)

        try writer.writeStopped(at: t0 + 7.5)
        let stopped = try XCTUnwrap(try reader.daemonStatus())
        XCTAssertEqual(stopped.pid, 0)
        XCTAssertFalse(stopped.brokerConnected)
        XCTAssertEqual(stopped.updatedAt, t0 + 7.5)
        XCTAssertEqual(stopped.accepted, 17_826)
    }
}
