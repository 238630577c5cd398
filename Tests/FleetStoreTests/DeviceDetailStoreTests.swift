import Foundation
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// What issue 13 stores: error codes on incidents, the broker's values and the lags in the status
/// row, and the devices' last in-memory values for the CLI while the daemon is stopped.
final class DeviceDetailStoreTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }
    private let t0 = 1_795_699_804.0

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetstore-detail-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func device(_ id: String, site: String = "tianshan", kind: String = "pickup-locker") -> DeviceRecord {
        DeviceRecord(
            id: id, site: site, kind: kind, inventory: false, state: .degraded, stateSince: t0, lastSeen: t0 + 9,
            firmware: "2.4.1")
    }

    func testErrorCodesOnIncidentsRoundTrip() throws {
        let writer = try StoreWriter(path: path)
        var error = Incident(
            id: 1, priority: .p1, rule: .error, scope: .device, site: "tianshan", kind: "pickup-locker",
            device: "locker-01", openedAt: t0, summary: "E_DOOR_JAM: a locker door is jammed", announced: true)
        error.code = "E_DOOR_JAM"
        var fault = Incident(
            id: 2, priority: .p2, rule: .fault, scope: .device, site: "tianshan", kind: "pickup-locker",
            device: "locker-01", openedAt: t0, summary: "device reports health fault", announced: true)
        fault.errors = ["E_DOOR_JAM", "E,with comma"]
        _ = try writer.commit([.saveIncident(error), .saveIncident(fault)])
        XCTAssertEqual(try StoreReader(path: path).incident(1), error)
        XCTAssertEqual(try StoreReader(path: path).incident(2), fault)
        fault.errors = []
        _ = try writer.commit([.saveIncident(fault)])
        XCTAssertEqual(try StoreReader(path: path).incident(2)?.errors, [])
        let restored = try writer.restore().unresolvedIncidents.sorted { $0.id < $1.id }
        XCTAssertEqual(restored.first?.key, ActiveErrors.key("locker-01", "E_DOOR_JAM"))
    }

    func testTheStatusRowCarriesTheBrokersValuesAndTheLags() throws {
        let writer = try StoreWriter(path: path)
        let status = DaemonStatus(
            pid: 7, startedAt: t0, updatedAt: t0 + 1, brokerConnected: true, accepted: 3, rejected: [:],
            brokerStats: #"{"clients_connected":2}"#, ingestLagSeconds: 0.004, flushSeconds: 0.0125)
        try writer.writeStatus(status)
        XCTAssertEqual(try StoreReader(path: path).daemonStatus(), status)
    }

    func testDetailsLeftByTheDaemonAreReadBackWithTheDeviceAndItsOpenIncidents() throws {
        let writer = try StoreWriter(path: path)
        let incident = Incident(
            id: 5, priority: .p2, rule: .fault, scope: .device, site: "tianshan", kind: "pickup-locker",
            device: "locker-01", openedAt: t0, summary: "s", announced: true)
        _ = try writer.commit([
            .saveDevice(device("locker-01")), .saveDevice(device("locker-02")), .saveIncident(incident),
        ])
        let detail = DeviceDetail(
            record: device("locker-01"), health: .fault, uptimeSeconds: 3600.5, errors: ["E_DOOR_JAM"],
            metrics: [
                Metric(name: "doors_faulted", value: .number(1)), Metric(name: "door_ok", value: .bool(false)),
                Metric(name: "mode", value: .string("a␞b")),
            ],
            quality: LinkStats(
                received: 350.5, lost: 12.25, duplicates: 1, outOfOrder: 2, reboots: 1, latencyP50: 12.5,
                latencyP95: -40),
            windowSeconds: 3600, asOf: t0 + 10, live: true)
        try writer.saveDetails([detail])
        let reader = try StoreReader(path: path)
        var expected = detail
        expected.live = false
        expected.openIncidents = [5]
        XCTAssertEqual(try reader.detail(of: "locker-01", windowSeconds: 60), expected)
        XCTAssertEqual(try reader.detailsAsOf(), t0 + 10)

        let bare = try XCTUnwrap(try reader.detail(of: "locker-02", windowSeconds: 60))
        XCTAssertEqual(bare, DeviceDetail(record: device("locker-02"), windowSeconds: 60, asOf: t0 + 9, live: false))
        XCTAssertNil(try reader.detail(of: "locker-99", windowSeconds: 60))
    }

    func testQualityRowsAreWorstLossFirstAndFiltered() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveDevice(device("a")), .saveDevice(device("b")), .saveDevice(device("c", kind: "face-gate")),
        ])
        try writer.saveDetails([
            DeviceDetail(
                record: device("a"), quality: LinkStats(received: 10, lost: 1), windowSeconds: 60, asOf: t0, live: true),
            DeviceDetail(
                record: device("b"), quality: LinkStats(received: 10, lost: 10), windowSeconds: 60, asOf: t0, live: true
            ),
        ])
        let reader = try StoreReader(path: path)
        XCTAssertEqual(try reader.qualityRows(site: nil, kind: nil, windowSeconds: 60).map(\.id), ["b", "a", "c"])
        XCTAssertEqual(try reader.qualityRows(site: nil, kind: "face-gate", windowSeconds: 60).map(\.id), ["c"])
        XCTAssertEqual(try reader.qualityRows(site: "x", kind: nil, windowSeconds: 60).map(\.id), [])
    }

    func testSavingDetailsAgainReplacesThem() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([.saveDevice(device("a"))])
        try writer.saveDetails([
            DeviceDetail(record: device("a"), errors: ["E1"], windowSeconds: 60, asOf: t0, live: true)
        ])
        try writer.saveDetails([DeviceDetail(record: device("a"), windowSeconds: 60, asOf: t0 + 1, live: true)])
        XCTAssertEqual(try StoreReader(path: path).detail(of: "a", windowSeconds: 60)?.errors, [])
    }
}
