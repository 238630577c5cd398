import Logging

/// Logs the broker's connection problems one line per distinct reason, not one per retry: a
/// wrong password is one problem, however often the connection is refused for it.
struct BrokerProblemLog {
    private let logger: Logger
    private var last: String?

    init(logger: Logger) { self.logger = logger }

    mutating func connected() { last = nil }

    mutating func refused(reason: String, user: String) {
        guard reason != last else { return }
        last = reason
        logger.error(
            "broker refused the connection; retrying with backoff",
            metadata: ["reason": "\(reason)", "user": "\(user)"])
    }

    /// libmosquitto reports TLS and socket failures only through its log.
    mutating func libraryError(_ text: String) {
        guard text != last else { return }
        last = text
        logger.error("broker connection failed; retrying with backoff", metadata: ["reason": "\(text)"])
    }
}
