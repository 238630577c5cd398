import ArgumentParser

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Notification channels: what they are told, and a test message.",
        subcommands: [List.self, Test.self])
}
