import Dispatch
import Foundation
import Logging
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
        w.pass([], store: store, at: moment(2))
        XCTAssertEqual(try rows(store), HistoryWriter.sliceRows, "one slice per pass")
        w.pass([], store: store, at: moment(2.05))
        w.pass([], store: store, at: moment(2.1))
        XCTAssertEqual(try rows(store), 2500)
        XCTAssertEqual(w.pending, 0)
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

/// The rollup service on its thread, with the loop's writer committing what it hands over.
final class HistoryRollupServiceTests: XCTestCase {
    func testEveryEndedHourIsRolledUpInBatchesAndRecorded() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("history-rollup-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fleetwatch.db").path
        let store = try StoreWriter(path: path)
        // 2,500 devices (three batches of 1,000) with a sample in an hour that ended long ago.
        let now = Date().timeIntervalSince1970
        let hour = Int64(now / 3600) - 3
        let samples = (0..<2500).map {
            HistorySample(
                device: "robot-\($0)", time: Double(hour) * 3600 + Double($0 % 3000),
                values: [.init(metric: "battery_pct", value: Double($0 % 100))])
        }
        var write = HistoryWrite()
        write.samples = try store.prepareHistory(samples)[...]
        _ = try store.writeHistory(write)

        let handoff = RollupHandoff(enabled: true)
        let service = HistoryRollupService(databasePath: path, handoff: handoff, logger: Logger(label: "test"))
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
        while writer.hoursThrough <= hour && Date() < deadline {
            t += 0.02
            writer.pass([], store: store, at: Moment(monotonic: t, wall: now))
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertEqual(writer.hoursThrough, hour + 1)
        XCTAssertEqual(try store.historyHoursThrough(), hour + 1)
        var rows = 0
        try store.db.prepare("SELECT COUNT(*) FROM history_hours WHERE hour = ?1").query([.integer(hour)]) {
            rows = Int($0.int(0))
        }
        XCTAssertEqual(rows, 2500, "one rollup row per device, across three batches")
    }
}
