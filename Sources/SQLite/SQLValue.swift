/// A value bound to a statement parameter.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ v: String?) { self = v.map { .text($0) } ?? .null }
    public init(_ v: Int?) { self = v.map { .integer(Int64($0)) } ?? .null }
    public init(_ v: Double?) { self = v.map { .real($0) } ?? .null }
}
