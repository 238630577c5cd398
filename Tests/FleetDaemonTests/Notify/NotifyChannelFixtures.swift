@testable import FleetCore

enum NotifyChannelFixtures {
    static var webhook: NotifyChannel {
        var channel = NotifyChannel()
        channel.name = "oncall"
        channel.url = "http://127.0.0.1:9/hook"
        return channel
    }
}
