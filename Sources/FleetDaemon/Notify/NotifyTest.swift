import FleetConfig
import FleetControl
import FleetCore
import FleetStore
import Foundation
import Logging

/// `fleetwatch notify test NAME`: one `TEST` event to the channel now, on a thread of its own
/// (outside the channel's order and backoff, and never on the engine loop), answered to the CLI
/// with the receiver's verdict. Nothing is stored: a test has no position.
extension Notifier {
    func sendTest(_ name: String, answering connection: ControlConnection) {
        guard let channel = channel(named: name) else {
            let known =
                wantedNames.isEmpty ? "none is configured" : "configured: " + wantedNames.joined(separator: ", ")
            ControlServer.answer(connection, .failure("no notification channel named \(name) (\(known))"), logger)
            return
        }
        let context = context
        let databasePath = databasePath
        let logger = logger
        let thread = Thread {
            let reply: ControlReply
            switch Self.test(channel, context: context, databasePath: databasePath) {
            case .success: reply = .success("TEST delivered to \(name)")
            case .failure(let failure):
                reply = .failure("\(name): \(NotifyRedaction.message(failure.description, url: channel.url))")
            }
            logger.info("notification test", metadata: ["channel": "\(name)", "result": "\(reply)"])
            ControlServer.answer(connection, reply, logger)
        }
        thread.name = "notify-test"
        thread.start()
    }

    private static func test(
        _ channel: NotifyChannel, context: NotifyContext, databasePath: String
    )
        -> Result<Void, NotifyFailure>
    {
        let secret: [UInt8]?
        let instance: String
        do {
            secret = channel.secretFile.isEmpty ? nil : try NotifySecret.read(channel.secretFile)
            instance = try NotifyStore(path: databasePath).instance
        } catch {
            return .failure(NotifyFailure("\(error)"))
        }
        let sender = ChannelSender(channel: channel, secret: secret, poster: HTTPPoster(), runner: CommandRunner())
        defer { sender.poster.invalidate() }
        let now = Date().timeIntervalSince1970
        let test = NotifyMessage.test(
            channel: channel.name, instance: instance, at: now,
            host: ProcessInfo.processInfo.hostName)
        guard channel.type == .alertmanager else {
            return sender.send(test, rendering: NotificationBody(time: context.time))
        }
        // A test alert that Alertmanager holds for five minutes, then lets go by itself.
        var incident = Incident(
            id: 0, priority: .p2, status: .resolved, rule: "fleetwatch-test", scope: .collector,
            openedAt: now, summary: test.msg ?? "test")
        incident.resolvedAt = now + 300
        return sender.sendAlerts(
            AlertmanagerBody(time: context.time).render(
                [AlertmanagerBody.alert(incident)],
                siteNames: [:]))
    }
}
