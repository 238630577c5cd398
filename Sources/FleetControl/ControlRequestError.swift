/// A control request the daemon cannot carry out as sent; the description says what it needs.
public struct ControlRequestError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
