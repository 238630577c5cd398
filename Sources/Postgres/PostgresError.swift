/// A failed libpq call or statement: the SQLSTATE when the server sent one (`23505` unique
/// violation, `57P01` admin shutdown, …), the server's or libpq's message, and what we were doing.
/// Never carries a password: connection strings are not part of it.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    public let sqlState: String?
    public let message: String
    public let context: String

    public init(sqlState: String? = nil, message: String, context: String) {
        self.sqlState = sqlState
        self.message = message
        self.context = context
    }

    public var description: String {
        "\(context): \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }

    /// The server went away or the connection broke (class 08, 57P0x): retry on a new connection.
    public var isConnectionLost: Bool {
        guard let sqlState else { return true }  // libpq reports a dead socket without a state
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P0")
    }
}
