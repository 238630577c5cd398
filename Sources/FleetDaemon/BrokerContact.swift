import FleetCore
import Logging

/// The engine loop's dealings with the broker: the link it subscribes and publishes on, the probe
/// that tells whether the broker still delivers, and the log of its connection problems. Both
/// learn of a connection and its loss together.
struct BrokerContact {
    let link: BrokerLink
    /// Whether the broker delivers (see `LinkProbe`).
    var probe = LinkProbe()
    var problems: BrokerProblemLog

    init(link: BrokerLink, logger: Logger) {
        self.link = link
        problems = BrokerProblemLog(logger: logger)
    }

    mutating func connected(at now: Moment) {
        problems.connected()
        probe.connected(at: now.monotonic)
    }

    mutating func disconnected() { probe.disconnected() }
}
