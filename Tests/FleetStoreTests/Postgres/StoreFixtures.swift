import Foundation
import Postgres
import PostgresTestSupport
import XCTest

@testable import FleetCore
@testable import FleetStore

/// One PostgreSQL cluster for all the store tests of a run (initdb takes seconds); every test
/// gets a database of its own.
enum SharedCluster {
    nonisolated(unsafe) static let started = Result { try PostgresServer() }

    static func server() throws -> PostgresServer { try started.get() }

    /// A fresh database for the calling test.
    static func target(_ test: XCTestCase) throws -> PostgresTarget {
        let name = "t_" + String(UUID().uuidString.prefix(8)).lowercased()
        return PostgresTarget(url: try server().createDatabase(name))
    }
}

/// Records and a script of commits that exercises every column, shared by the tests that compare
/// the two backends.
enum StoreFixtures {
    static let t0 = 1_795_699_804.0  // 2026-11-26T21:30:04+08:00

    static func device(
        _ id: String, site: String = "tianshan", kind: String = "delivery-robot",
        state: DeviceState = .online, at time: Double = t0
    ) -> DeviceRecord {
        DeviceRecord(
            id: id, site: site, kind: kind, name: nil, inventory: false, state: state, stateSince: time,
            lastSeen: time - 1)
    }

    static func incident(
        _ id: Int64, rule: String = "offline", device: String? = "robot-01",
        priority: Priority = .p2, status: IncidentStatus = .open
    ) -> Incident {
        var i = Incident(
            id: id, priority: priority, status: status, rule: RuleID(rule),
            scope: device == nil ? .site : .device, site: "tianshan",
            kind: device == nil ? nil : "delivery-robot", device: device, openedAt: t0 + Double(id),
            respondBy: t0 + 46800, summary: "no heartbeat for 30s (expected every 10s)", announced: true)
        i.resolveBy = t0 + 259_200
        return i
    }

    static func event(
        _ kind: AlertEvent.Kind, incident: Int64, at time: Double, site: String = "tianshan",
        extra: [AlertEvent.Field] = []
    ) -> AlertEvent {
        AlertEvent(
            time: time, kind: kind, priority: .p2, incidentID: incident,
            fields: [.init("rule", "offline"), .init("site", site)] + extra)
    }

    /// Every field set, with text a careless quoting would break.
    static var fullDevice: DeviceRecord {
        DeviceRecord(
            id: "robot-01", site: "tianshan", kind: "delivery-robot", name: "3F \"配送\" 机器人, {a\\b}",
            inventory: true, state: .degraded, stateSince: t0 + 0.125, lastSeen: t0 + 0.1 + 0.2,
            clockSkewed: true, firmware: "NULL")
    }

    static var fullIncident: Incident {
        var i = incident(7, rule: "battery-low", device: "robot-01", priority: .p1, status: .acknowledged)
        i.parent = 3
        i.flapping = true
        i.occurrences = 4
        i.acknowledgedAt = t0 + 60
        i.onsiteBy = t0 + 90_000
        i.condition = RuleID("battery-low")
        i.announced = false
        i.dispatchedAt = t0 + 70
        i.arrivedAt = t0 + 80
        i.respondBreached = true
        i.onsiteBreached = true
        i.groupedAt = t0 + 11
        i.extent = 12
        i.partsAt = t0 + 100
        i.planBy = t0 + 172_800
        i.plannedAt = t0 + 200
        i.resolveBreached = true
        i.planBreached = true
        i.respondWarned = true
        i.onsiteWarned = true
        i.resolveWarned = true
        i.planWarned = true
        i.summary = "battery 9% < 15% for 60s; 'quoted' \\ and \u{1E}"
        i.code = "E_DOOR_JAM"
        i.errors = ["E_MOTOR_STALL", "E \"2\""]
        return i
    }

    static var window: MaintenanceWindow {
        MaintenanceWindow(
            id: 1, site: "tianshan", device: nil, from: t0, until: t0 + 7200, reason: "firmware 更新",
            createdBy: "li")
    }

    /// Commits that touch every table: registration, a state change twice in one commit, a
    /// parent and a child, a resolve, a maintenance window, events about two sites, last_seen.
    static func runScript(on writer: some StoreWriting) throws -> [[AlertEvent]] {
        var committed: [[AlertEvent]] = []
        committed.append(
            try writer.commit(
                [
                    .saveDevice(fullDevice), .saveDevice(device("locker-9", site: "central", kind: "pickup-locker")),
                    .saveDevice(device("robot-02", state: .unknown)),
                    .saveMaintenance(window),
                ], lastSeen: []))
        var site = incident(3, rule: "site-outage", device: nil, priority: .p1)
        site.extent = 2
        committed.append(
            try writer.commit(
                [
                    .saveDevice(device("robot-02", state: .offline, at: t0 + 40)),
                    .saveDevice(device("robot-02", state: .online, at: t0 + 50)),
                    .saveIncident(site), .saveIncident(fullIncident), .saveIncident(incident(8, device: "robot-02")),
                    .announce(event(.open, incident: 3, at: t0 + 41, extra: [.init("msg", "2 of 3 \"offline\"")])),
                    .announce(event(.open, incident: 8, at: t0 + 42, site: "central")),
                    .announce(event(.ack, incident: 7, at: t0 + 60, extra: [.init("by", "li")])),
                ], lastSeen: [("robot-02", t0 + 55)]))
        var resolved = incident(8, device: "robot-02", status: .resolved)
        resolved.resolvedAt = t0 + 90
        var ended = window
        ended.removedAt = t0 + 100
        committed.append(
            try writer.commit(
                [
                    .saveIncident(resolved), .saveMaintenance(ended),
                    .announce(event(.resolve, incident: 8, at: t0 + 90)),
                    .announce(event(.update, incident: 3, at: t0 + 95)),
                ], lastSeen: [("robot-01", t0 + 99), ("locker-9", t0 + 98)]))
        try writer.saveDetails([
            DeviceDetail(
                record: fullDevice, health: .degraded, uptimeSeconds: 3600.5, errors: ["E_MOTOR_STALL"],
                metrics: [
                    Metric(name: "battery_pct", value: .number(9.5)), Metric(name: "camera_ok", value: .bool(true)),
                    Metric(name: "mode", value: .string("eco {x}")),
                ],
                quality: LinkStats(
                    received: 100, lost: 25.5, duplicates: 1, outOfOrder: 2, reboots: 3,
                    latencyP50: 12.25, latencyP95: nil),
                windowSeconds: 3600, asOf: t0 + 100, live: true),
            DeviceDetail(
                record: device("locker-9", site: "central", kind: "pickup-locker"), windowSeconds: 3600,
                asOf: t0 + 101, live: true),
        ])
        return committed
    }
}
