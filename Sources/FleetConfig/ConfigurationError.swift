/// Every problem found in a configuration, each naming its key and the reason.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let key: String
        public let reason: String
        public var description: String { "config: \(key) \(reason)" }

        /// Whether the problem is in `key` or inside it: `storage` covers `storage.database`,
        /// `kinds.face-gate` covers `kinds.face-gate.rules[0].name`.
        public func isWithin(_ key: String) -> Bool {
            self.key == key || self.key.hasPrefix(key + ".") || self.key.hasPrefix(key + "[")
        }
    }

    public let problems: [Problem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
