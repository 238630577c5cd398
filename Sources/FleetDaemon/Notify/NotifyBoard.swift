import Synchronization

/// What the notifier's threads tell the metrics endpoint: per channel, attempts by result since
/// the daemon started and events still to send. Written by each channel's thread, read by the
/// HTTP thread; neither waits for the other beyond a lock held for a few assignments.
final class NotifyBoard: Sendable {
    struct Channel: Sendable, Equatable {
        var delivered = 0
        var failed = 0
        var pending = 0
    }

    private let channels = Mutex<[String: Channel]>([:])

    func update(_ name: String, _ change: (inout Channel) -> Void) {
        channels.withLock { change(&$0[name, default: Channel()]) }
    }

    /// Drops channels no longer configured (a reload), so their series disappear.
    func keep(only names: Set<String>) {
        channels.withLock { all in all = all.filter { names.contains($0.key) } }
    }

    var snapshot: [String: Channel] { channels.withLock { $0 } }

    /// `fleetwatch_notifications_total{channel,result}` and `fleetwatch_notify_pending{channel}`.
    func prometheusText() -> String {
        let all = snapshot.sorted { $0.key < $1.key }
        var out = "# HELP fleetwatch_notifications_total Notification attempts by channel and result since start.\n"
        out += "# TYPE fleetwatch_notifications_total counter\n"
        for (name, c) in all {
            out += "fleetwatch_notifications_total{channel=\"\(name)\",result=\"delivered\"} \(c.delivered)\n"
            out += "fleetwatch_notifications_total{channel=\"\(name)\",result=\"failed\"} \(c.failed)\n"
        }
        out += "# HELP fleetwatch_notify_pending Committed events a channel has yet to deliver.\n"
        out += "# TYPE fleetwatch_notify_pending gauge\n"
        for (name, c) in all { out += "fleetwatch_notify_pending{channel=\"\(name)\"} \(c.pending)\n" }
        return out
    }
}
