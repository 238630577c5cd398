import Foundation
import Postgres
import XCTest

@testable import FleetCore
@testable import FleetStore

/// The storage boundary holds whatever the backend: the same commits, made through
/// `StoreWriting` to a SQLite file and to a PostgreSQL database (a real cluster), read back
/// through `StoreReading` and `NotifyCursorStoring`, give the same answers, down to sequence
/// numbers, ordering and every column.
final class StoreBoundaryTests: XCTestCase {
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("boundary-tests-\(UUID().uuidString)", isDirectory: true)
    private var sqlitePath: String { directory.appendingPathComponent("fleetwatch.db").path }
    private let t0 = StoreFixtures.t0

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Both backends, freshly set up: (name, writer, location).
    private func backends() throws -> [(String, any StoreWriting, StoreLocation)] {
        let target = try SharedCluster.target(self)
        return [
            ("sqlite", try StoreWriter(path: sqlitePath), .sqlite(path: sqlitePath)),
            ("postgres", try PostgresStore.singleWriter(target, node: "n1"), .postgres(target)),
        ]
    }

    func testTheSameCommitsReadBackTheSameFromBothBackends() throws {
        var answers: [String: [String]] = [:]
        for (name, writer, location) in try backends() {
            let committed = try StoreFixtures.runScript(on: writer)
            let reader = try location.openReader()
            var lines: [String] = []
            func record(_ label: String, _ value: Any) { lines.append("\(label): \(value)") }
            record("committed", committed.map { $0.map { "\($0.sequence) \($0.kind) \($0.incidentID)" } })
            record("devices", try reader.devices(site: nil, kind: nil, state: nil))
            record("devices site", try reader.devices(site: "central", kind: nil, state: nil))
            record("devices kind+state", try reader.devices(site: nil, kind: "delivery-robot", state: .online))
            record("open", try reader.incidents(includeResolved: false, priority: nil))
            record("all P2", try reader.incidents(includeResolved: true, priority: .p2))
            record("incident 7", try reader.incident(7) as Any)
            record("incident 99", try reader.incident(99) as Any)
            record("children 3", try reader.children(of: 3))
            record("events 3", try reader.events(of: 3))
            record("counts", try reader.deviceCounts().map { "\($0.site)/\($0.kind)/\($0.state)=\($0.count)" })
            record("open counts", try reader.openIncidentCounts().sorted { $0.key.rawValue < $1.key.rawValue })
            record("windows", try reader.maintenanceWindows(current: t0 + 50))
            record("windows later", try reader.maintenanceWindows(current: t0 + 8000))
            record("actions", try reader.operatorActionsOfUnresolvedIncidents())
            record(
                "event counts",
                try reader.eventCounts(since: t0 + 42).map { "\($0.kind.rawValue) \($0.priority.rawValue) \($0.count)" }
                    .sorted())
            let report = try reader.reportRows(from: t0 + 45, to: t0 + 1000, site: nil)
            record("report history", report.historySince != nil)
            record("report devices", report.devices)
            record("report start", report.stateAtStart.sorted { $0.key < $1.key })
            record("report changes", report.changes.sorted { $0.key < $1.key })
            record("report incidents", report.incidents.map(\.id))
            record("report events", report.events.sorted { $0.key < $1.key })
            record("report windows", report.maintenance)
            record(
                "report central", try reader.reportRows(from: t0, to: t0 + 1000, site: "central").incidents.map(\.id))
            let restored = try writer.restore(failuresSince: t0)
            record(
                "restore",
                [
                    restored.devices.sorted { $0.id < $1.id }.description,
                    restored.unresolvedIncidents.sorted { $0.id < $1.id }.description,
                    "\(restored.nextIncidentID)", "\(restored.recentFailures.map { "\($0.0)@\($0.1)" })",
                    "\(restored.maintenance)", "\(restored.nextMaintenanceID)",
                ])
            record("detail", String(describing: try reader.detail(of: "robot-01", windowSeconds: 600)))
            record("detail none", String(describing: try reader.detail(of: "robot-02", windowSeconds: 600)))
            record("detail unknown", String(describing: try reader.detail(of: "nope", windowSeconds: 600)))
            record("quality", try reader.qualityRows(site: nil, kind: nil, windowSeconds: 600))
            record(
                "quality central", try reader.qualityRows(site: "central", kind: "pickup-locker", windowSeconds: 600))
            record("details as of", String(describing: try reader.detailsAsOf()))
            record("unannounced", try writer.unannouncedEvents().map(\.sequence))
            try writer.markAnnounced(through: 4)
            try writer.markAnnounced(through: 2)  // never back
            record("unannounced after", try writer.unannouncedEvents().map(\.sequence))
            answers[name] = lines
        }
        let sqlite = try XCTUnwrap(answers["sqlite"])
        let postgres = try XCTUnwrap(answers["postgres"])
        XCTAssertEqual(sqlite.count, postgres.count)
        for (a, b) in zip(sqlite, postgres) { XCTAssertEqual(a, b) }
        XCTAssertTrue(sqlite.contains("unannounced after: [5]"), sqlite.joined(separator: "\n"))
    }

    /// Metric history (issue 15) through `HistoryStoring`, `HistoryRollupReading` and
    /// `HistoryReading`: samples written, an ended hour rolled up, raw and hourly rows read back,
    /// expired rows deleted in bounded batches; the same on both backends, down to the averages.
    func testHistoryWrittenRolledUpAndReadBackIsTheSameOnBothBackends() throws {
        let hour = Int64(t0 / 3600)
        let start = Double(hour) * 3600
        var answers: [String: [String]] = [:]
        for (name, writer, location) in try backends() {
            func sample(_ device: String, _ t: Double, _ values: [(String, Double)]) -> HistorySample {
                HistorySample(device: device, time: start + t, values: values.map { .init(metric: $0.0, value: $0.1) })
            }
            var samples = (0..<40).map {
                sample("robot-01", Double($0) * 61.5, [("battery_pct", 90 - Double($0) * 0.7), ("temp_c", 30.1)])
            }
            samples += [
                sample("gate-1", 5.25, [("recognition_ms", 420), ("docked", 1)]),
                sample("gate-1", 5.25, [("recognition_ms", 430)]),  // the same key: the last one wins
                sample("gate-1", 1805, [("recognition_ms", 1e300), ("recognition_ms", 7)]),  // the first of a name
                sample("robot-02", 3700, [("battery_pct", -0.125)]),  // the next hour
            ]
            var write = HistoryWrite()
            let rows = try writer.prepareHistory(samples)
            write.samples = rows[...]
            _ = try writer.writeHistory(write)
            var lines = ["rows \(rows.map { "\($0.minute - hour * 60)/\($0.device)/\($0.ms)" })"]
            let rollup = try location.openHistoryRollup()
            lines.append("next early \(String(describing: try rollup.nextHour(now: start + 3600 + 60, lag: 120)))")
            lines.append(
                "next \(String(describing: try rollup.nextHour(now: start + 3600 + 120, lag: 120).map { $0 - hour }))")
            lines.append("max key \(try rollup.maxDeviceKey())")
            for (devices, completes) in [(Int64(1)..<2, false), (2..<1002, true)] {
                var w = HistoryWrite()
                w.rollup = try rollup.rollUp(hour: hour, devices: devices, completesHour: completes)
                lines.append("batch \(w.rollup?.rows.map(\.device) ?? []) \(w.rollup?.series.count ?? 0)")
                _ = try writer.writeHistory(w)
            }
            lines.append("through \(try writer.historyHoursThrough() - hour) \(try rollup.hoursThrough() - hour)")
            lines.append("next after \(String(describing: try rollup.nextHour(now: start + 3 * 3600, lag: 120)))")
            let reader = try location.openReader()
            let names = try reader.historyMetricNames()
            lines.append("names \(names.sorted { $0.key < $1.key })")
            lines.append("through read \(try reader.historyHoursThrough() - hour)")
            lines.append("oldest \(String(describing: try reader.oldestHistoryMinute().map { $0 - hour * 60 }))")
            lines.append("unknown \(String(describing: try reader.historyKey(device: "robot-99")))")
            for device in ["robot-01", "gate-1", "robot-02"] {
                let key = try XCTUnwrap(try reader.historyKey(device: device), "\(name) \(device)")
                let raw = try reader.historySamples(device: key, from: start, until: start + 7200, names: names)
                lines.append("\(device) raw \(raw.map { "\($0.time - start) \($0.metric) \($0.value)" })")
                let part = try reader.historySamples(device: key, from: start + 5.25, until: start + 123, names: names)
                lines.append("\(device) part \(part.map { "\($0.time - start) \($0.metric)" })")
                let hours = try reader.historyHours(device: key, fromHour: hour - 1, untilHour: hour + 2, names: names)
                lines.append(
                    "\(device) hours \(hours.map { "\($0.time - start) \($0.metric) \($0.aggregate)" })")
                lines.append(
                    "\(device) series \(try reader.historyMetrics(device: key).compactMap { names[$0] }.sorted())")
            }
            var deletion = HistoryWrite()
            deletion.deleteSamplesBefore = hour * 60 + 30
            deletion.deleteHoursBefore = hour + 1
            deletion.deleteLimit = 20
            for _ in 0..<3 {
                let result = try writer.writeHistory(deletion)
                lines.append("deleted \(result.samplesDeleted) \(result.hoursDeleted)")
            }
            lines.append("oldest after \(String(describing: try reader.oldestHistoryMinute().map { $0 - hour * 60 }))")
            answers[name] = lines
        }
        let sqlite = try XCTUnwrap(answers["sqlite"])
        let postgres = try XCTUnwrap(answers["postgres"])
        XCTAssertEqual(sqlite.count, postgres.count)
        for (a, b) in zip(sqlite, postgres) { XCTAssertEqual(a, b) }
        XCTAssertTrue(sqlite.contains("through 1 1"), sqlite.joined(separator: "\n"))
        XCTAssertTrue(sqlite.contains("deleted 20 2"), sqlite.joined(separator: "\n"))
    }

    func testNotificationPositionsBehaveTheSameOnBothBackends() throws {
        var answers: [String: [String]] = [:]
        for (name, writer, location) in try backends() {
            try writer.syncNotifyChannels(["early"], at: t0)
            _ = try StoreFixtures.runScript(on: writer)
            try writer.syncNotifyChannels(["early", "late"], at: t0 + 1)  // a new channel starts at the head
            let store = try location.openNotifyStore()
            var channel = NotifyChannel()
            channel.name = "early"
            channel.events = [.open, .resolve]
            channel.priorities = [.p2]
            var lines: [String] = ["instance \(store.instance.isEmpty)"]
            let (events, head) = try store.events(for: channel, after: 0, limit: 10)
            lines.append("events \(events.map(\.sequence)) head \(head)")
            var central = channel
            central.sites = ["central"]
            lines.append("central \(try store.events(for: central, after: 0, limit: 10).events.map(\.sequence))")
            lines.append("pending \(try store.pending(for: channel, after: 1))")
            try store.advance("early", through: 4, delivered: 2, at: t0 + 2)
            try store.advance("early", through: 3, delivered: 1, at: t0 + 3)  // never back
            try store.recordFailure("late", error: "HTTP 503", at: t0 + 4)
            lines.append("channel \(String(describing: try store.channel("early")))")
            lines.append("missing \(String(describing: try store.channel("nope")))")
            lines.append("incident \(String(describing: try store.incident(3)?.id))")
            lines.append("announced open \(try store.announcedUnresolvedIncidents().map(\.id))")
            lines.append("name \(String(describing: try store.deviceName("robot-01")))")
            let reader = try location.openReader()
            lines.append("reader channels \(try reader.notifyChannels()) \(reader.hasNotifyChannels)")
            lines.append("reader pending \(try reader.notifyPending(channel, after: 0))")
            try writer.syncNotifyChannels(["late"], at: t0 + 5)  // removed: its row goes
            lines.append("after removal \(try reader.notifyChannels().map(\.name))")
            answers[name] = lines
        }
        XCTAssertEqual(answers["sqlite"], answers["postgres"])
        XCTAssertTrue(answers["sqlite"]?.contains("events [1, 2, 4] head 5") == true, "\(answers)")
    }

    func testAStateChangedTwiceInOneCommitIsRecordedTwiceInTheHistory() throws {
        for (name, writer, location) in try backends() {
            _ = try writer.commit([.saveDevice(StoreFixtures.device("gate-1", state: .unknown, at: t0))], lastSeen: [])
            _ = try writer.commit(
                [
                    .saveDevice(StoreFixtures.device("gate-1", state: .online, at: t0 + 5)),
                    .saveDevice(StoreFixtures.device("gate-1", state: .offline, at: t0 + 6)),
                    .saveDevice(StoreFixtures.device("gate-1", state: .online, at: t0 + 7)),
                ], lastSeen: [("gate-1", t0 + 8)])
            let rows = try location.openReader().reportRows(from: t0 - 1, to: t0 + 100, site: nil)
            XCTAssertEqual(rows.changes["gate-1"]?.map(\.state), ["unknown", "online", "offline", "online"], name)
            XCTAssertEqual(
                try location.openReader().devices(site: nil, kind: nil, state: nil).first?.lastSeen, t0 + 8,
                name)
        }
    }

    func testStatusRowsSayRoleAndNode() throws {
        for (name, writer, location) in try backends() {
            try writer.writeStatus(
                DaemonStatus(
                    pid: 42, startedAt: t0, updatedAt: t0 + 1, brokerConnected: true,
                    accepted: 7, rejected: ["bad_json": 2], role: .active, node: "n1"))
            let row = try XCTUnwrap(try location.openReader().daemonStatus(node: "n1"), name)
            XCTAssertEqual([row.pid, Int32(row.accepted)], [42, 7], name)
            XCTAssertEqual(row.rejected, ["bad_json": 2], name)
            XCTAssertEqual(row.role, name == "sqlite" ? .single : .active, "SQLite has one row and no roles")
            try writer.writeStopped(at: t0 + 2)
            XCTAssertEqual(try location.openReader().daemonStatus(node: "n1")?.pid, 0, name)
        }
    }
}
