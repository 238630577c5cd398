import Foundation
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// History and forecasts in real SQLite files (issue 15).
final class HistoryStoreTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }
    private let t0 = 1_795_699_800.0  // 2026-11-26T21:30:00+08:00, a whole minute and hour + 30 min

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("history-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func sample(_ device: String, _ t: Double, _ values: [(String, Double)]) -> HistorySample {
        HistorySample(device: device, time: t, values: values.map { .init(metric: $0.0, value: $0.1) })
    }

    private func write(_ writer: StoreWriter, _ samples: [HistorySample]) throws {
        var w = HistoryWrite()
        w.samples = try writer.prepareHistory(samples)[...]
        _ = try writer.writeHistory(w)
    }

    // MARK: codec

    func testValuesRoundTripExactlyAndSmall() throws {
        let values: [(metric: Int64, value: Double)] = [
            (1, 87), (2, 36.5), (3, 41.2), (4, -61), (5, 86400), (6, 0.1234),
            (7, 1e300), (8, -0.5), (300, 3.14159265358979),
        ]
        let bytes = HistoryCodec.encodeSample(values)
        let decoded = try XCTUnwrap(HistoryCodec.decodeSample(bytes))
        XCTAssertEqual(decoded.map(\.metric), values.map(\.metric))
        XCTAssertEqual(decoded.map(\.value), values.map(\.value))
        XCTAssertEqual(HistoryCodec.encodeSample([(1, 87)]).count, 3, "id+tag, then 87 as a zigzag varint")
        XCTAssertEqual(HistoryCodec.encodeSample([(1, 36.5)]).count, 3)
        XCTAssertNil(HistoryCodec.decodeSample([0x0C]), "tag 4 without its 8 bytes")
        let hour = HistoryCodec.encodeHour([(2, HistoryCodec.Aggregate(min: 30, max: 40.5, sum: 105.5, count: 3))])
        let back = try XCTUnwrap(HistoryCodec.decodeHour(hour)).first
        XCTAssertEqual(back?.aggregate.min, 30)
        XCTAssertEqual(back?.aggregate.max, 40.5)
        XCTAssertEqual(back?.aggregate.count, 3)
        XCTAssertEqual(back?.aggregate.average ?? 0, 105.5 / 3, accuracy: 1e-12)
    }

    // MARK: writing and reading

    func testSamplesAreReadBackOldestFirstWithTheirNames() throws {
        let writer = try StoreWriter(path: path)
        try write(
            writer,
            [
                sample("robot-02", t0 + 70.25, [("battery_pct", 80), ("temp_c", 36.5)]),
                sample("robot-01", t0 + 5, [("battery_pct", 90), ("temp_c", 35)]),
                // A name repeated in one heartbeat: the first value counts.
                sample("robot-01", t0 + 65.5, [("battery_pct", 89.5), ("battery_pct", 1)]),
                sample("robot-01", t0 + 125, [("temp_c", 37)]),
            ])
        let reader = try StoreReader(path: path)
        let key = try XCTUnwrap(try reader.historyKey(device: "robot-01"))
        let names = try reader.historyMetricNames()
        let points = try reader.historySamples(device: key, from: t0, until: t0 + 3600, names: names)
        XCTAssertEqual(
            points.map { "\($0.time - t0) \($0.metric) \($0.value)" },
            ["5.0 battery_pct 90.0", "5.0 temp_c 35.0", "65.5 battery_pct 89.5", "125.0 temp_c 37.0"])
        XCTAssertEqual(
            try reader.historySamples(device: key, from: t0 + 6, until: t0 + 125, names: names).count, 1,
            "from ≤ t < until")
        XCTAssertNil(try reader.historyKey(device: "robot-03"))
    }

    func testRollupsAreMinMaxAvgCountPerDeviceAndHourAndRecordTheirProgress() throws {
        let writer = try StoreWriter(path: path)
        let hour = Int64(t0 / 3600)  // starts 30 min before t0
        try write(
            writer,
            (0..<30).map { sample("robot-01", t0 + Double($0) * 60, [("battery_pct", 90 - Double($0))]) }
                + [sample("robot-02", t0, [("temp_c", 30)]), sample("robot-02", t0 + 60, [("temp_c", 40)])])
        let rollup = try HistoryRollup(path: path)
        XCTAssertNil(
            try rollup.nextHour(now: t0 + 1800 + 60, lag: 120), "not until the hour is over and the lag passed")
        XCTAssertEqual(try rollup.nextHour(now: t0 + 1800 + 120, lag: 120), hour)
        let batch = try rollup.rollUp(hour: hour, devices: 1..<1 + HistoryRollup.devicesPerBatch, completesHour: true)
        XCTAssertEqual(batch.rows.count, 2)
        var w = HistoryWrite()
        w.rollup = batch
        _ = try writer.writeHistory(w)
        XCTAssertEqual(try writer.historyHoursThrough(), hour + 1)
        let reader = try StoreReader(path: path)
        let names = try reader.historyMetricNames()
        let key = try XCTUnwrap(try reader.historyKey(device: "robot-01"))
        let hours = try reader.historyHours(device: key, fromHour: hour, untilHour: hour + 1, names: names)
        XCTAssertEqual(hours.count, 1)
        XCTAssertEqual(hours.first?.metric, "battery_pct")
        XCTAssertEqual(hours.first?.aggregate.min, 61)
        XCTAssertEqual(hours.first?.aggregate.max, 90)
        XCTAssertEqual(hours.first?.aggregate.count, 30)
        XCTAssertEqual(hours.first?.aggregate.average ?? 0, 75.5, accuracy: 1e-9)
        XCTAssertEqual(try reader.historyMetrics(device: key).compactMap { names[$0] }, ["battery_pct"])
        XCTAssertNil(try rollup.nextHour(now: t0 + 86400, lag: 120), "nothing after the rolled-up hour")
    }

    func testDeletionTakesBoundedBatchesOldestFirst() throws {
        let writer = try StoreWriter(path: path)
        try write(writer, (0..<2500).map { sample("robot-\($0 % 50)", t0 + Double($0) * 1.2, [("battery_pct", 50)]) })
        var w = HistoryWrite()
        w.deleteSamplesBefore = HistoryRow.key(t0 + 1800).minute  // 1,500 of them are older
        w.deleteLimit = 1000
        XCTAssertEqual(try writer.writeHistory(w).samplesDeleted, 1000)
        XCTAssertEqual(try writer.writeHistory(w).samplesDeleted, 500)
        XCTAssertEqual(try writer.writeHistory(w).samplesDeleted, 0)
        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.oldestHistoryMinute(), HistoryRow.key(t0 + 1800).minute)
    }

    func testForecastsAreStoredPerDeviceAndPrunedByKind() throws {
        let writer = try StoreWriter(path: path)
        let robot = DeviceRecord(
            id: "robot-01", site: "s", kind: "delivery-robot", inventory: false, state: .online,
            stateSince: t0)
        let gate = DeviceRecord(
            id: "gate-01", site: "s", kind: "face-gate", inventory: false, state: .online,
            stateSince: t0)
        _ = try writer.commit([
            .saveDevice(robot), .saveDevice(gate),
            .saveForecast(
                ForecastStatus(
                    device: "robot-01", name: "battery-forecast", metric: "battery_pct", value: 42,
                    reaches: 15, eta: t0 + 600, updatedAt: t0)),
            .saveForecast(
                ForecastStatus(
                    device: "gate-01", name: "slow-forecast", metric: "recognition_ms", value: 900,
                    reaches: 1500, eta: nil, updatedAt: t0)),
            .saveForecast(
                ForecastStatus(
                    device: "robot-01", name: "battery-forecast", metric: "battery_pct", value: 41,
                    reaches: 15, eta: t0 + 590, updatedAt: t0 + 10)),
        ])
        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.forecasts(device: "robot-01").map(\.value), [41])
        XCTAssertEqual(try reader.forecasts().count, 2)
        try writer.keepOnlyForecasts(["delivery-robot": ["battery-forecast"]])
        XCTAssertEqual(try reader.forecasts().map(\.device), ["robot-01"])
        XCTAssertEqual(try reader.forecasts().first?.secondsLeft(at: t0 + 100), 490)
    }

    /// Bytes per sample on disk, as docs/benchmarks.md quotes them: 2,000 devices × 60 minutes with
    /// the six metrics `fleetsim load` sends, written as the daemon writes them (2 s batches in
    /// slices of 1,000), then the history tables' pages counted (`dbstat`); the hour rolled up and
    /// its rows counted too. The time of each 1,000-row slice is printed (a debug build: slower).
    func testBytesPerSampleOnDisk() throws {
        let writer = try StoreWriter(path: path, checkpointsInBackground: true)  // as the daemon's
        // FLEETWATCH_HISTORY_DEVICES=100000 FLEETWATCH_HISTORY_MINUTES=5 measures the design size.
        let environment = ProcessInfo.processInfo.environment
        let devices = environment["FLEETWATCH_HISTORY_DEVICES"].flatMap(Int.init) ?? 2000
        let minutes = environment["FLEETWATCH_HISTORY_MINUTES"].flatMap(Int.init) ?? 60
        var pending: [HistorySample] = []
        var sliceSeconds: [Double] = []
        for minute in 0..<minutes {
            for d in 0..<devices {
                let t = t0 + Double(minute) * 60 + Double(d) * 60 / Double(devices)
                pending.append(
                    sample(
                        "robot-site\(d % 100)-\(d)", t,
                        [
                            ("battery_pct", Double(90 - (minute + d) % 80)),
                            ("temp_c", 30 + Double((d * 7 + minute) % 100) / 10),
                            ("cpu_pct", Double((d * 13 + minute * 7) % 1000) / 10),
                            ("mem_pct", 40 + Double((d + minute) % 50) / 10),
                            ("rssi_dbm", -60 - Double((d + minute) % 20)), ("uptime_s", 86400 + Double(minute * 60)),
                        ]))
                if pending.count >= devices / 30 {  // ≈ 2 s of samples
                    let rows = try writer.prepareHistory(pending)
                    pending = []
                    for start in stride(from: 0, to: rows.count, by: 1000) {
                        var w = HistoryWrite()
                        w.samples = rows[start..<min(rows.count, start + 1000)]
                        let began = Date()
                        _ = try writer.writeHistory(w)
                        sliceSeconds.append(Date().timeIntervalSince(began) * 1000 / Double(w.samples.count))
                    }
                }
            }
        }
        let rollup = try HistoryRollup(path: path)
        let hour = Int64(t0 / 3600)
        for hourOfData in [hour, hour + 1] {
            for first in stride(from: Int64(1), through: Int64(devices), by: Int(HistoryRollup.devicesPerBatch)) {
                var w = HistoryWrite()
                w.rollup = try rollup.rollUp(
                    hour: hourOfData, devices: first..<first + HistoryRollup.devicesPerBatch,
                    completesHour: false)
                _ = try writer.writeHistory(w)
            }
        }
        try writer.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        var bytes: [String: Int] = [:]
        try writer.db.prepare("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").query {
            bytes[$0.text(0)] = Int($0.int(1))
        }
        var hourRows = 0
        try writer.db.prepare("SELECT COUNT(*) FROM history_hours").query { hourRows = Int($0.int(0)) }
        let count = devices * minutes
        let perSample = Double(bytes["history_samples"] ?? 0) / Double(count)
        let perHour = Double(bytes["history_hours"] ?? 0) / Double(hourRows)
        sliceSeconds.sort()
        let names = (bytes["history_devices"] ?? 0) + (bytes["sqlite_autoindex_history_devices_1"] ?? 0)
        print(
            "history: \(count) samples of 6 metrics in \(bytes["history_samples"] ?? 0) bytes: "
                + "\(String(format: "%.1f", perSample)) B/sample (\(String(format: "%.1f", perSample / 6)) B/value); "
                + "\(hourRows) device-hours rolled up in \(bytes["history_hours"] ?? 0) bytes: "
                + "\(String(format: "%.1f", perHour)) B each; names \(names) B; write per sample (ms): "
                + "median \(sliceSeconds[sliceSeconds.count / 2]) max \(sliceSeconds.last ?? 0)")
        XCTAssertLessThan(perSample, 80, "a sample of six metrics must stay compact")
        XCTAssertLessThan(perHour, 200, "an hour of six metrics must stay compact")
    }
}
