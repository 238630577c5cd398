import FleetCore
import Postgres

/// The values the daemon leaves when it stops (data quality, issue 13), as SQLite's
/// `StoreReader` reads them.
extension PostgresStoreReader {
    public func detail(of id: String, windowSeconds: Double) throws -> DeviceDetail? {
        guard !isEmpty else { return nil }
        guard
            var detail = try db.query(
                """
                SELECT \(Rows.detailQueryColumns) FROM devices d LEFT JOIN device_details x ON x.id = d.id WHERE d.id = $1
                """, [.text(id)]
            ).first.map({ Rows.detail($0, windowSeconds: windowSeconds) })
        else { return nil }
        detail.openIncidents = try db.query(
            "SELECT id FROM incidents WHERE status <> 'resolved' AND scope = 'device' AND device = $1 ORDER BY id",
            [.text(id)]
        ).map { $0.int(0) }
        return detail
    }

    public func qualityRows(site: String?, kind: String?, windowSeconds: Double) throws -> [QualityRow] {
        guard !isEmpty else { return [] }
        return try db.query(
            """
            SELECT \(Rows.detailQueryColumns) FROM devices d LEFT JOIN device_details x ON x.id = d.id
            WHERE ($1::text IS NULL OR d.site = $1) AND ($2::text IS NULL OR d.kind = $2)
            """, [PostgresValue(site), PostgresValue(kind)]
        ).map {
            let detail = Rows.detail($0, windowSeconds: windowSeconds)
            return QualityRow(
                id: detail.record.id, site: detail.record.site, kind: detail.record.kind,
                quality: detail.quality)
        }.sorted(by: QualityRow.worstFirst)
    }

    public func detailsAsOf() throws -> Double? {
        guard !isEmpty else { return nil }
        return try db.query("SELECT MAX(as_of) FROM device_details").first?.optionalDouble(0)
    }
}
