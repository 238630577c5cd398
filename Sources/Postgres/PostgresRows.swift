/// The rows a query returned, copied out of libpq's result (which is freed at once), as text.
public struct PostgresRows: Sendable {
    public let columns: [String]
    public let values: [[String?]]

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    public subscript(row: Int) -> Row { Row(values: values[row]) }

    public var first: Row? { values.first.map { Row(values: $0) } }

    public struct Row: Sendable {
        let values: [String?]

        public func text(_ column: Int) -> String { values[column] ?? "" }
        public func optionalText(_ column: Int) -> String? { values[column] }
        public func int(_ column: Int) -> Int64 { values[column].flatMap { Int64($0) } ?? 0 }
        public func optionalInt(_ column: Int) -> Int64? { values[column].flatMap { Int64($0) } }
        public func double(_ column: Int) -> Double { optionalDouble(column) ?? 0 }
        public func optionalDouble(_ column: Int) -> Double? { values[column].flatMap { Double($0) } }
        /// PostgreSQL's text form of a boolean is `t` / `f`.
        public func bool(_ column: Int) -> Bool { values[column] == "t" || values[column] == "true" }
        public func isNull(_ column: Int) -> Bool { values[column] == nil }
        /// A `bytea` column (hex text form); empty for NULL or text that is not hex.
        public func bytes(_ column: Int) -> [UInt8] { values[column].flatMap(PostgresBytea.bytes(fromHex:)) ?? [] }
    }
}

extension PostgresRows: Sequence {
    public func makeIterator() -> AnyIterator<Row> {
        var i = 0
        return AnyIterator {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return Row(values: values[i])
        }
    }
}
