/// A statement parameter, sent in text format (the server converts it to the column's type).
public enum PostgresValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)

    public init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    public init(_ number: Double?) { self = number.map { .real($0) } ?? .null }
    public init(_ number: Int64?) { self = number.map { .integer($0) } ?? .null }

    /// The text form libpq sends; nil for SQL NULL. Doubles print in Swift's shortest form that
    /// reads back to the same value, so nothing is lost on the way.
    var wireText: String? {
        switch self {
        case .null: nil
        case .text(let s): s
        case .integer(let i): String(i)
        case .real(let d): d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .bool(let b): b ? "t" : "f"
        }
    }
}
