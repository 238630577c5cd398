import CSQLite

/// A failed SQLite call, with the library's message and the statement or file involved.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let context: String

    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    public var description: String { "sqlite: \(context): \(message) (code \(code))" }

    /// SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock; retrying may succeed.
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
}
