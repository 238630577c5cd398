/// `HOST:PORT` for the metrics endpoint.
public struct ListenAddress: Sendable, Equatable {
    public let host: String
    public let port: Int
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon])
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    /// What the metrics server can bind: a dotted IPv4 address or `localhost`.
    public var isIPv4OrLocalhost: Bool {
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }
}
