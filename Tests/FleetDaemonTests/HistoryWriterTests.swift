import Dispatch
import Foundation
import Logging
import Postgres
import PostgresTestSupport
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetDaemon
@testable import FleetStore

/// The loop's history writer against a real SQLite file: staging, slices, rollups and deletions.
final class HistoryWriterTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }
    /// 2026-11-26T21:00:00+08:00, a whole hour.
    private let wall0 = 1_795_698_000.0

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("history-writer-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func moment(_ t: Double) -> Moment { Moment(monotonic: 100 + t, wall: wall0 + t) }

    private func writer(_ configure: (inout StorageSettings) -> Void = { _ in }) -> HistoryWriter {
        var settings = StorageSettings()
        configure(&settings)
        return HistoryWriter(
            settings: settings, handoff: RollupHandoff(enabled: true), hoursThrough: 0,
            logger: Logger(label: "test"))
    }

    private func samples(_ count: Int, at t: Double) -> [HistorySample] {
        (0..<count).map {
            HistorySample(device: "robot-\($0)", time: wall0 + t, values: [.init(metric: "battery_pct", value: 80)])
        }
    }

    private func rows(_ store: StoreWriter) throws -> Int {
        var n = 0
        try store.db.prepare("SELECT COUNT(*) FROM history_samples").query { n = Int($0.int(0)) }
        return n
    }

    func testSamplesWaitTheirStageThenGoInSlices() throws {
        let store = try StoreWriter(path: path)
        var w = writer()
        w.pass(samples(2500, at: 0), store: store, at: moment(0))
        w.pass([], store: store, at: moment(1.9))
        XCTAssertEqual(try rows(store), 0, "staged for 2 s")
        XCTAssertEqual(w.pending, 2500)
        XCTAssertFalse(w.hasRowsReady, "samples waiting their stage do not hurry the loop")
        w.pass([], store: store, at: moment(2))
        XCTAssertEqual(try rows(store), HistoryWriter.sliceRows, "one slice per pass")
        XCTAssertTrue(w.hasRowsReady, "the loop passes again at once for the next slice")
        w.pass([], store: store, at: moment(2.05))
        w.pass([], store: store, at: moment(2.1))
        XCTAssertEqual(try rows(store), 2500)
        XCTAssertEqual(w.pending, 0)
        XCTAssertFalse(w.hasRowsReady)
        XCTAssertEqual(w.stats.samplesWritten, 2500)
    }

    func testHistoryOffWritesNothing() throws {
        let store = try StoreWriter(path: path)
        var w = writer { $0.historyDays = 0 }
        w.pass(samples(10, at: 0), store: store, at: moment(0))
        w.pass([], store: store, at: moment(10))
        XCTAssertEqual(try rows(store), 0)
        XCTAssertEqual(w.pending, 0)
    }

    func testRawSamplesGoOnlyOnceTheirHourIsRolledUpAndPastRetention() throws {
        let store = try StoreWriter(path: path)
        var w = writer { $0.historyRawDays = 1 }
        w.pass(samples(10, at: 0), store: store, at: moment(0))
        w.flush(store: store, at: moment(1))
        XCTAssertEqual(try rows(store), 10)
        let later = 2 * 86400.0
        w.pass([], store: store, at: moment(later))
        XCTAssertEqual(try rows(store), 10, "older than history_raw_days, but not rolled up yet: kept")
        let hour = Int64(wall0 / 3600)
        w.handoff.put(HistoryRollupBatch(hour: hour, rows: [], series: [], completesHour: true))
        w.pass([], store: store, at: moment(later + 1))
        XCTAssertEqual(w.hoursThrough, hour + 1)
        w.pass([], store: store, at: moment(later + 2))
        XCTAssertEqual(try rows(store), 0, "rolled up and past retention: deleted")
    }

    /// An HA node that stands down drops what it had not written (the active node writes its
    /// own samples of the same heartbeats) and the rollups waiting; taking over, it writes again.
    func testStandingByDropsWhatWasNotWrittenAndTakingOverWritesAgain() throws {
        let store = try StoreWriter(path: path)
        var w = writer()
        w.pass(samples(5, at: 0), store: store, at: moment(0))
        w.handoff.put(HistoryRollupBatch(hour: 1, rows: [], series: [], completesHour: true))
        w.standBy()
        XCTAssertEqual(w.pending, 0)
        XCTAssertFalse(w.handoff.rollsUp)
        XCTAssertNil(w.handoff.take(), "a standby's rollups are not committed")
        w.resume(hoursThrough: 7)
        XCTAssertTrue(w.handoff.rollsUp)
        XCTAssertEqual(w.hoursThrough, 7, "rollups got further while this node stood by")
        w.pass(samples(3, at: 10), store: store, at: moment(10))
        w.flush(store: store, at: moment(11))
        XCTAssertEqual(try rows(store), 3)
    }

    func testRowsLeftByAFailedWriteDoNotHurryTheLoop() throws {
        let store = try StoreWriter(path: path)
        var w = writer()
        w.pass(samples(2500, at: 0), store: store, at: moment(0))
        w.pass([], store: store, at: moment(2))
        XCTAssertTrue(w.hasRowsReady)
        let other = try Database(path: path, mode: .readWriteExisting)
        try other.execute("BEGIN IMMEDIATE")
        w.pass([], store: store, at: moment(2.05))
        XCTAssertEqual(w.stats.writeErrors, 1)
        XCTAssertEqual(w.pending, 1500)
        XCTAssertFalse(w.hasRowsReady, "a failing database is retried at the loop's pace, not in a spin")
        try other.execute("ROLLBACK")
        w.pass([], store: store, at: moment(3))
        XCTAssertTrue(w.hasRowsReady, "writes go through again: 500 rows left")
    }

    func testAFailedWriteKeepsItsRowsAndRollup() throws {
        let store = try StoreWriter(path: path)
        var w = writer()
        w.pass(samples(5, at: 0), store: store, at: moment(0))
        w.handoff.put(HistoryRollupBatch(hour: 1, rows: [], series: [], completesHour: true))
        // Another connection holds the write lock: the writer fails fast (busy timeout) and retries.
        let other = try Database(path: path, mode: .readWriteExisting)
        try other.execute("BEGIN IMMEDIATE")
        w.pass([], store: store, at: moment(3))
        XCTAssertEqual(w.stats.writeErrors, 1)
        XCTAssertEqual(w.pending, 5)
        XCTAssertNotNil(w.handoff.take(), "the rollup batch went back")
        w.handoff.put(HistoryRollupBatch(hour: 1, rows: [], series: [], completesHour: true))
        try other.execute("ROLLBACK")
        w.pass([], store: store, at: moment(4))
        XCTAssertEqual(try rows(store), 5)
        XCTAssertEqual(w.hoursThrough, 2)
    }
}

/// The rollup service on its thread, with the loop's writer committing what it hands over, on
/// either backend; and on a node that does not write (an HA standby) neither of them works.
final class HistoryRollupServiceTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("history-rollup-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func sqlite() throws -> (any StoreWriting, StoreLocation) {
        let path = directory.appendingPathComponent("fleetwatch.db").path
        return (try StoreWriter(path: path), .sqlite(path: path))
    }

    private func postgres() throws -> (any StoreWriting, StoreLocation) {
        let target = try DaemonTestCluster.target()
        return (try PostgresStore.singleWriter(target, node: "n1"), .postgres(target))
    }

    /// 2,500 devices (three batches of 1,000) with a sample in an hour that ended long ago.
    private func fillAnEndedHour(_ store: any StoreWriting, now: Double) throws -> Int64 {
        let hour = Int64(now / 3600) - 3
        let samples = (0..<2500).map {
            HistorySample(
                device: "robot-\($0)", time: Double(hour) * 3600 + Double($0 % 3000),
                values: [.init(metric: "battery_pct", value: Double($0 % 100))])
        }
        var write = HistoryWrite()
        write.samples = try store.prepareHistory(samples)[...]
        _ = try store.writeHistory(write)
        return hour
    }

    /// Runs the service beside a writer passing every 20 ms until `done` or 20 s.
    private func run(
        _ store: any StoreWriting, _ location: StoreLocation, writing: Bool, now: Double,
        until done: (HistoryWriter) -> Bool
    ) -> HistoryWriter {
        let handoff = RollupHandoff(enabled: true, writing: writing)
        let service = HistoryRollupService(store: location, handoff: handoff, logger: Logger(label: "test"))
        var writer = HistoryWriter(
            settings: StorageSettings(), handoff: handoff, hoursThrough: 0,
            logger: Logger(label: "test"))
        let finished = DispatchSemaphore(value: 0)
        Thread {
            service.run()
            finished.signal()
        }.start()
        defer {
            service.stop()
            finished.wait()
        }
        let deadline = Date().addingTimeInterval(20)
        var t = 0.0
        while !done(writer) && Date() < deadline {
            t += 0.02
            if writing { writer.pass([], store: store, at: Moment(monotonic: t, wall: now)) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return writer
    }

    private func rollsUpEveryEndedHour(_ store: any StoreWriting, _ location: StoreLocation) throws {
        let now = Date().timeIntervalSince1970
        let hour = try fillAnEndedHour(store, now: now)
        let writer = run(store, location, writing: true, now: now) { $0.hoursThrough > hour }
        XCTAssertEqual(writer.hoursThrough, hour + 1)
        XCTAssertEqual(try store.historyHoursThrough(), hour + 1)
        let reader = try location.openReader()
        let names = try reader.historyMetricNames()
        var rows = 0
        for device in 0..<2500 {
            let key = try XCTUnwrap(try reader.historyKey(device: "robot-\(device)"))
            rows += try reader.historyHours(device: key, fromHour: hour, untilHour: hour + 1, names: names).count
        }
        XCTAssertEqual(rows, 2500, "one rollup row per device, across three batches")
    }

    func testEveryEndedHourIsRolledUpInBatchesAndRecorded() throws {
        let (store, location) = try sqlite()
        try rollsUpEveryEndedHour(store, location)
    }

    func testEveryEndedHourIsRolledUpOnPostgreSQLToo() throws {
        let (store, location) = try postgres()
        try rollsUpEveryEndedHour(store, location)
    }

    /// A standby's writer holds no session: its service must not compute batches nobody commits.
    func testANodeThatDoesNotWriteRollsNothingUp() throws {
        let (store, location) = try postgres()
        let now = Date().timeIntervalSince1970
        let hour = try fillAnEndedHour(store, now: now)
        let started = Date()
        let writer = run(store, location, writing: false, now: now) { _ in Date().timeIntervalSince(started) > 1 }
        XCTAssertNil(writer.handoff.take(), "no batch computed")
        XCTAssertEqual(try store.historyHoursThrough(), 0)
        XCTAssertLessThan(hour, Int64(now / 3600))
    }
}
