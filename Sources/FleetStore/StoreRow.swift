import Postgres
import SQLite

/// One result row as both backends give it, so that `Rows` maps a row to a value once for
/// SQLite and PostgreSQL alike (same columns, same order). Booleans are stored as integers 0/1
/// in both, as SQLite has no other kind.
protocol StoreRow {
    func text(_ column: Int32) -> String
    func optionalText(_ column: Int32) -> String?
    func int(_ column: Int32) -> Int64
    func optionalInt(_ column: Int32) -> Int64?
    func double(_ column: Int32) -> Double
    func optionalDouble(_ column: Int32) -> Double?
    func isNull(_ column: Int32) -> Bool
}

extension Statement.Row: StoreRow {}

extension PostgresRows.Row: StoreRow {
    func text(_ column: Int32) -> String { text(Int(column)) }
    func optionalText(_ column: Int32) -> String? { optionalText(Int(column)) }
    func int(_ column: Int32) -> Int64 { int(Int(column)) }
    func optionalInt(_ column: Int32) -> Int64? { optionalInt(Int(column)) }
    func double(_ column: Int32) -> Double { double(Int(column)) }
    func optionalDouble(_ column: Int32) -> Double? { optionalDouble(Int(column)) }
    func isNull(_ column: Int32) -> Bool { isNull(Int(column)) }
}
