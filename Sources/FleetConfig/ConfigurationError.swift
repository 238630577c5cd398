/// Every problem found in a configuration, each naming its key and the reason.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let key: String
        public let reason: String
        public var description: String { "config: \(key) \(reason)" }
    }

    public let problems: [Problem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
