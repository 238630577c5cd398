import FleetCore
import Postgres

/// `daemon_status` in PostgreSQL: one row per node, so every node of an HA pair shows in
/// `fleetwatch status` on its own host with its role. A node's row is written by whichever of its
/// sessions is at hand: the writer's while it is active, the election's while it stands by.
enum PostgresStatusRow {
    static func write(_ status: DaemonStatus, node: String, on db: PostgresConnection) throws {
        try db.query(
            """
            INSERT INTO daemon_status(node, role, pid, started_at, updated_at, broker_connected, accepted, rejected,
              broker_stats, ingest_lag_s, flush_s, forgotten)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (node) DO UPDATE SET role = excluded.role, pid = excluded.pid, started_at = excluded.started_at,
              updated_at = excluded.updated_at, broker_connected = excluded.broker_connected,
              accepted = excluded.accepted, rejected = excluded.rejected, broker_stats = excluded.broker_stats,
              ingest_lag_s = excluded.ingest_lag_s, flush_s = excluded.flush_s, forgotten = excluded.forgotten
            """,
            [
                .text(node), .text(status.role.rawValue), .integer(Int64(status.pid)), .real(status.startedAt),
                .real(status.updatedAt), .integer(status.brokerConnected ? 1 : 0), .integer(Int64(status.accepted)),
                .text(status.encodedRejected), .text(status.brokerStats), .real(status.ingestLagSeconds),
                .real(status.flushSeconds), .integer(Int64(status.forgotten)),
            ])
    }

    static func writeStopped(node: String, at time: Double, on db: PostgresConnection) throws {
        try db.query(
            "UPDATE daemon_status SET pid = 0, updated_at = $2, broker_connected = 0 WHERE node = $1",
            [.text(node), .real(time)])
    }

    static func read(node: String, on db: PostgresConnection) throws -> DaemonStatus? {
        let rows = try db.query(
            """
            SELECT pid, started_at, updated_at, broker_connected, accepted, rejected, role, node, broker_stats,
              ingest_lag_s, flush_s, forgotten
            FROM daemon_status WHERE node = $1
            """, [.text(node)])
        guard let row = rows.first else { return nil }
        return DaemonStatus(
            pid: Int32(truncatingIfNeeded: row.int(0)), startedAt: row.double(1),
            updatedAt: row.double(2), brokerConnected: row.int(3) != 0, accepted: Int(row.int(4)),
            rejected: DaemonStatus.decodeRejected(row.text(5)), forgotten: Int(row.int(11)),
            brokerStats: row.text(8),
            ingestLagSeconds: row.double(9), flushSeconds: row.double(10),
            role: NodeRole(rawValue: row.text(6)) ?? .standby, node: row.text(7))
    }
}
