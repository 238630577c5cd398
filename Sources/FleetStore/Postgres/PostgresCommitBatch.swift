import FleetCore
import Foundation
import Postgres
import SQLite

/// One commit's effects sorted by table, written with a statement per table and round
/// (`PostgresColumns`): what SQLite does row by row with prepared statements. Tables have no
/// constraints between them (as in SQLite), so writing them table by table is the same as
/// writing the effects in order; within a table the rounds keep the order.
struct PostgresCommitBatch {
    private var devices: [[SQLValue]] = []
    private var incidents: [[SQLValue]] = []
    private var maintenance: [[SQLValue]] = []
    private var events: [AlertEvent] = []
    private var forecasts: [[SQLValue]] = []
    private var forgotten: [String] = []

    init(_ effects: [EngineEffect]) {
        for effect in effects {
            switch effect {
            case .saveDevice(let d): devices.append(Rows.values(d))
            case .saveIncident(let i): incidents.append(Rows.values(i))
            case .saveMaintenance(let w): maintenance.append(Rows.values(w))
            case .announce(let e): events.append(e)
            case .saveForecast(let f): forecasts.append(Rows.values(f))
            case .forgetDevice(let id): forgotten.append(id)
            }
        }
    }

    static let deviceColumns = PostgresColumns(types: [
        "text", "text", "text", "text", "bigint", "text", "double precision", "double precision", "bigint", "text",
    ])

    static let incidentColumns = PostgresColumns(types: [
        "bigint", "text", "text", "text", "text", "text", "text", "text", "bigint", "bigint", "bigint",
        "double precision", "double precision", "double precision", "double precision", "double precision", "text",
        "double precision", "text", "bigint", "double precision", "double precision", "bigint", "bigint",
        "double precision", "bigint", "double precision", "double precision", "double precision", "double precision",
        "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "text", "double precision",
    ])

    static let forecastColumns = PostgresColumns(types: [
        "text", "text", "text", "double precision", "double precision", "double precision", "double precision",
    ])

    static let maintenanceColumns = PostgresColumns(types: [
        "bigint", "text", "text", "double precision", "double precision", "text", "text", "double precision", "text",
    ])

    /// Columns an upsert leaves as they were: what identifies a row and what never changes.
    static let incidentKeptColumns: Set<String> = [
        "id", "scope", "site", "kind", "device", "opened_at", "condition", "code",
    ]

    static let detailColumns = PostgresColumns(types: [
        "text", "text", "double precision", "text", "text", "double precision", "double precision",
        "double precision", "double precision", "bigint", "double precision", "double precision", "double precision",
        "double precision",
    ])

    static let upsertDetails = upsert(
        "device_details", Rows.detailColumns, detailColumns, key: "id",
        updating: names(Rows.detailColumns).filter { $0 != "id" })

    /// The devices' details in one statement per round (`saveDetails`).
    static func writeDetails(_ details: [DeviceDetail], _ db: PostgresConnection) throws {
        for round in PostgresColumns.rounds(details.map(Rows.values), key: { $0[0].postgresText ?? "" }) {
            try db.query(upsertDetails, detailColumns.parameters(round))
        }
    }

    static func upsert(
        _ table: String, _ columnList: String, _ columns: PostgresColumns, key: String,
        updating: [String]
    ) -> String {
        "INSERT INTO \(table)(\(columnList)) SELECT * FROM \(columns.unnest) ON CONFLICT (\(key)) DO UPDATE SET "
            + updating.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    }

    static let upsertDevices = upsert(
        "devices", Rows.deviceColumns, deviceColumns, key: "id",
        updating: names(Rows.deviceColumns).filter { $0 != "id" })
    static let upsertIncidents = upsert(
        "incidents", Rows.incidentColumns, incidentColumns, key: "id",
        updating: names(Rows.incidentColumns).filter { !incidentKeptColumns.contains($0) })
    static let upsertMaintenance = upsert(
        "maintenance", Rows.maintenanceColumns, maintenanceColumns, key: "id",
        updating: ["starts_at", "ends_at", "reason", "removed_at"])

    static let upsertForecasts = upsert(
        "forecasts", Rows.forecastColumns, forecastColumns, key: "device, name",
        updating: ["metric", "value", "reaches", "eta", "updated_at"])

    static func names(_ columnList: String) -> [String] {
        columnList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func writeRows(_ db: PostgresConnection) throws {
        try write(devices, Self.upsertDevices, Self.deviceColumns, db)
        try write(incidents, Self.upsertIncidents, Self.incidentColumns, db)
        try write(maintenance, Self.upsertMaintenance, Self.maintenanceColumns, db)
        for round in PostgresColumns.rounds(forecasts, key: { [$0[0].postgresText ?? "", $0[1].postgresText ?? ""] }) {
            try db.query(Self.upsertForecasts, Self.forecastColumns.parameters(round))
        }
        // After the devices' rows: a device forgotten in the same commit it was saved in stays gone.
        if !forgotten.isEmpty {
            try db.query(
                "DELETE FROM devices WHERE id = ANY($1::text[])",
                [.text(PostgresArray.literal(forgotten.map { Optional($0) }))])
        }
    }

    /// Rows keyed by their first column (`id` in every table written here).
    private func write(_ rows: [[SQLValue]], _ sql: String, _ columns: PostgresColumns, _ db: PostgresConnection) throws
    {
        guard !rows.isEmpty else { return }
        for round in PostgresColumns.rounds(rows, key: { $0[0].postgresText ?? "" }) {
            try db.query(sql, columns.parameters(round))
        }
    }

    /// Inserts the events with sequence numbers taken in their order, and returns them numbered.
    func insertEvents(_ db: PostgresConnection) throws -> [AlertEvent] {
        guard !events.isEmpty else { return [] }
        let numbers = try db.query(
            "SELECT nextval(pg_get_serial_sequence('events', 'seq')) FROM generate_series(1, $1::integer)",
            [.integer(Int64(events.count))]
        ).map { $0.int(0) }.sorted()
        var numbered = events
        for index in numbered.indices { numbered[index].sequence = numbers[index] }
        try db.query(
            """
            INSERT INTO events(seq, incident, ts, event, priority, fields)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::double precision[], $4::text[], $5::text[], $6::text[])
            """,
            [
                .text(PostgresArray.literal(numbered.map { Optional($0.sequence) })),
                .text(PostgresArray.literal(numbered.map { Optional($0.incidentID) })),
                .text(PostgresArray.literal(numbered.map { Optional($0.time) })),
                .text(PostgresArray.literal(numbered.map { Optional($0.kind.rawValue) })),
                .text(PostgresArray.literal(numbered.map { Optional($0.priority.rawValue) })),
                .text(PostgresArray.literal(numbered.map { Optional(EventFields.encode($0.fields)) })),
            ])
        return numbered
    }
}
