import ArgumentParser
import FleetCore
import Foundation
import SystemCalls

/// `fleetwatch tail [-f] [-n N] [--priority P1|P2]`: the last lines of the alert log, then (with
/// `-f`) every new one, across logrotate. Coloured only on a terminal and never under `NO_COLOR`.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "The last lines of the alert log; -f follows it, also across logrotate.",
        discussion: """
            Reads the file named by storage.alert_log, in the format of storage.alert_log_format. \
            With -f it polls every 200 ms until interrupted (Ctrl-C or SIGTERM exit 0), waits for a \
            missing log to appear, and follows rotation by rename (logrotate create) and by \
            truncation (copytruncate). Colour is used only on a terminal and never when NO_COLOR is set.
            """)

    @OptionGroup var options: ConfigOptions
    @Flag(name: .shortAndLong, help: "Keep printing lines as they are appended.") var follow = false
    @Option(
        name: .customShort("n"),
        help: ArgumentHelp("How many lines to print first (0 with -f: only new ones).", valueName: "N"))
    var count = 20
    @Option(name: .long, help: "Only lines of this priority: P1 or P2.") var priority: String?

    static let pollInterval = DispatchTimeInterval.milliseconds(200)

    func validate() throws {
        if count < 0 { throw ValidationError("-n must be 0 or more (got \(count))") }
        if let priority, Priority(rawValue: priority.uppercased()) == nil {
            throw ValidationError("--priority must be P1 or P2 (got \"\(priority)\")")
        }
    }

    func run() throws {
        let configuration = try options.load()
        let path = configuration.storage.alertLog
        let format = configuration.storage.alertLogFormat
        let wanted = priority.flatMap { Priority(rawValue: $0.uppercased()) }
        let colour =
            FileDescriptor.standardOutput.isTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let include: (String) -> Bool = { line in
            wanted.map { Self.fields(of: line, format: format).priority == $0.rawValue } ?? true
        }
        let emit: ([String]) -> Void = { lines in
            guard !lines.isEmpty else { return }
            var text = ""
            for line in lines {
                // The daemon escapes what it writes; a line it did not write (a hand edit, an older
                // version) must not reach the terminal with its control sequences either.
                let safe = TextSafety.forTerminal(line)
                text += (colour ? Self.coloured(safe, format: format) : safe) + "\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        // Before anything is read, so an interrupt at any point of -f exits 0.
        let (stop, signalSources) = follow ? try Self.stopOnSignals() : (DispatchSemaphore(value: 0), [])
        let follower = LogFollower(path: path)
        let opened: Bool
        do {
            opened = try follower.open()
        } catch {
            throw CLIFailure("\(error) (storage.alert_log in \(options.path))")
        }
        if opened {
            emit(follower.lastLines(count, includingPartial: !follow, where: include))
        } else if follow {
            FileHandle.standardError.write(Data("fleetwatch: waiting for \(path) to appear\n".utf8))
        } else {
            throw CLIFailure(
                "no alert log at \(path) yet (storage.alert_log in \(options.path)); "
                    + "the daemon creates it with its first event, or use -f to wait for it")
        }
        guard follow else { return }

        withExtendedLifetime(signalSources) {
            while stop.wait(timeout: .now() + Self.pollInterval) == .timedOut {
                emit(follower.poll().filter(include))
            }
        }
    }

    /// SIGINT and SIGTERM signal the returned semaphore, so the follow loop ends and exits 0. The
    /// sources must be kept alive for as long as that holds.
    private static func stopOnSignals() throws -> (DispatchSemaphore, [any DispatchSourceSignal]) {
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            do {
                try ProcessControl.ignore(signal: number)
            } catch {
                throw CLIFailure("cannot follow the log: \(error)")
            }
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        return (stop, sources)
    }
}

extension TailCommand {
    /// The event and priority of a line: the second and third words of a text line, the `event` and
    /// `priority` keys of a JSON one; nil for a line that is neither.
    static func fields(of line: String, format: StorageSettings.AlertLogFormat) -> (event: String?, priority: String?) {
        switch format {
        case .text:
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            return (words.count > 1 ? String(words[1]) : nil, words.count > 2 ? String(words[2]) : nil)
        case .json:
            guard line.hasPrefix("{"),
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return (nil, nil) }
            return (object["event"] as? String, object["priority"] as? String)
        }
    }

    private static let reset = "\u{1B}[0m"

    /// ANSI style of an event: OPEN red, ESCALATE magenta, RESOLVE green, SLA-BREACH bold red,
    /// ACK/DISPATCH/ARRIVE cyan, UPDATE/FLAPPING yellow, NOTE and anything else plain.
    static func style(ofEvent event: String) -> String? {
        switch event {
        case "OPEN": return "\u{1B}[31m"
        case "ESCALATE": return "\u{1B}[35m"
        case "RESOLVE": return "\u{1B}[32m"
        case "SLA-BREACH": return "\u{1B}[1;31m"
        case "ACK", "DISPATCH", "ARRIVE": return "\u{1B}[36m"
        case "UPDATE", "FLAPPING": return "\u{1B}[33m"
        default: return nil
        }
    }

    /// A text line with its event word coloured and a P1 priority in bold; a JSON line coloured as a
    /// whole by its event, bold for P1.
    static func coloured(_ line: String, format: StorageSettings.AlertLogFormat) -> String {
        let (event, priority) = fields(of: line, format: format)
        let eventStyle = event.flatMap(style(ofEvent:))
        let bold = priority == Priority.p1.rawValue ? "\u{1B}[1m" : nil
        switch format {
        case .text:
            var words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard words.count > 2 else { return line }
            if let eventStyle { words[1] = eventStyle + words[1] + reset }
            if let bold { words[2] = bold + words[2] + reset }
            return words.joined(separator: " ")
        case .json:
            let styles = (bold ?? "") + (eventStyle ?? "")
            return styles.isEmpty ? line : styles + line + reset
        }
    }
}
