import FleetCore
import Foundation

/// `[[notify]]` (SPEC §14): the channels that tell people about alert events.
extension ConfigSchema {
    static var notify: ConfigTable<NotifyChannel> {
        ConfigTable<NotifyChannel>(
            "A notification channel: a webhook (JSON, WeCom or DingTalk robot), Alertmanager, or a command. "
                + "Delivery is at least once, in event order, after commit; see docs/operators.md.",
            keys: [
                .text(
                    "name", \.name, "Names the channel in `status`, metrics and `fleetwatch notify test NAME`.",
                    rule: .identifier, required: true),
                .choice(
                    "type", \.type, NotifyChannel.ChannelType.allCases,
                    "`webhook`: one POST per event; `alertmanager`: open incidents as alerts; "
                        + "`command`: runs a program per event."),
                .text(
                    "url", \.url, "`webhook`, `alertmanager`: where to POST (Alertmanager: its base URL).",
                    type: "URL"),
                .choice(
                    "format", \.format, NotifyChannel.Format.allCases,
                    "`webhook` body: our JSON, or a WeCom / DingTalk group robot's markdown message."),
                .text(
                    "secret_file", \.secretFile,
                    "Set → `X-Fleetwatch-Signature: sha256=HMAC-SHA256(secret, body)` (hex); the file's trailing "
                        + "newline is not part of the secret.", type: "path"),
                .custom(
                    "command", type: "array of strings",
                    range: "argv: program (absolute, or found on PATH) "
                        + "and arguments",
                    "`command`: run without a shell, the JSON body on its standard input; "
                        + "exit 0 = delivered.", renderDefault: { ConfigKey<NotifyChannel>.quote($0.command) }
                ) { r, channel in
                    if case .found(let argv) = r.stringArray("command") { channel.command = argv }
                },
                .custom(
                    "events", type: "array of strings",
                    range: "event names (`OPEN`, `ESCALATE`, … `SLA-WARNING`), "
                        + "each once, at least one", "The alert events this channel is told about.",
                    renderDefault: { ConfigKey<NotifyChannel>.quote($0.events.map(\.rawValue)) }, read: readEvents),
                .custom(
                    "priorities", type: "array of strings", range: "`P1`, `P2`, each once, at least one",
                    "Only events of these priorities.",
                    renderDefault: { ConfigKey<NotifyChannel>.quote($0.priorities.map(\.rawValue)) },
                    read: readPriorities),
                .custom(
                    "sites", type: "array of strings", range: "site ids",
                    "Only events about these sites; `[]`: every site (incidents without a site, fleet-wide and "
                        + "the collector's, reach only channels without a site filter).",
                    renderDefault: { ConfigKey<NotifyChannel>.quote($0.sites) }
                ) { r, channel in
                    guard case .found(let sites) = r.stringArray("sites") else { return }
                    for site in sites where !TopicParser.isValidIdentifier(site) {
                        r.problem("sites", "has \"\(site)\", which is not a site id ([A-Za-z0-9_-]{1,64})")
                    }
                    channel.sites = sites
                },
                .seconds(
                    "timeout_s", \.timeoutSeconds, NumberRange(above: 0, upTo: 300),
                    "A request (or command) not answered within this is a failure, retried with backoff."),
                .seconds(
                    "resend_s", \.resendSeconds, NumberRange(above: 0, upTo: 3600),
                    "`alertmanager`: open incidents are posted again this often; keep it well below "
                        + "Alertmanager's `resolve_timeout` (5 min by default)."),
            ],
            notes: [
                "The daemon and `--check-config` also check that `secret_file`, when set, names a readable file "
                    + "holding a secret, and that a `command` channel's program is an executable file; "
                    + "`fleetwatch` never reads them."
            ])
    }

    static let notifyRules = [
        "channel names are unique",
        "`webhook` and `alertmanager` need an `http://` or `https://` `url`; `command` needs `command` and no `url`",
        "`format` other than `json` is for `webhook` channels only",
    ]

    private static func readEvents(_ r: TableReader, _ channel: inout NotifyChannel) {
        guard case .found(let names) = r.stringArray("events") else { return }
        var events: [AlertEvent.Kind] = []
        for name in names {
            guard let kind = AlertEvent.Kind(rawValue: name.uppercased()) else {
                let known = AlertEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                r.problem("events", "has \"\(name)\"; use \(known)")
                continue
            }
            if events.contains(kind) { r.problem("events", "lists \"\(name)\" twice") }
            events.append(kind)
        }
        if names.isEmpty { r.problem("events", "must list at least one event (a channel told nothing is no channel)") }
        channel.events = events
    }

    private static func readPriorities(_ r: TableReader, _ channel: inout NotifyChannel) {
        guard case .found(let names) = r.stringArray("priorities") else { return }
        var priorities: [Priority] = []
        for name in names {
            guard let priority = Priority(rawValue: name.uppercased()) else {
                r.problem("priorities", "has \"\(name)\"; use P1, P2")
                continue
            }
            if priorities.contains(priority) { r.problem("priorities", "lists \"\(name)\" twice") }
            priorities.append(priority)
        }
        if names.isEmpty { r.problem("priorities", "must list at least one priority") }
        channel.priorities = priorities
    }

    /// Keeps a channel whose keys are valid, whose name is new and whose type has what it needs.
    static func addNotify(
        _ channel: NotifyChannel, to config: inout Configuration, seen: inout Set<String>,
        _ r: TableReader
    ) {
        let problemsBefore = r.problemCount
        if TopicParser.isValidIdentifier(channel.name), !seen.insert(channel.name).inserted {
            r.problem("name", "\"\(channel.name)\" is used twice; channel names are unique")
        }
        // Rules across keys only once the keys themselves are valid: a `command` of the wrong type
        // is one problem, not two.
        guard problemsBefore == 0 else { return }
        switch channel.type {
        case .webhook, .alertmanager:
            if let reason = NotifyURLRule.problem(channel.url) { r.problem("url", reason) }
            if !channel.command.isEmpty { r.problem("command", "is only for type = \"command\" channels") }
        case .command:
            if !channel.url.isEmpty { r.problem("url", "is only for webhook and alertmanager channels") }
            if channel.command.isEmpty || channel.command[0].isEmpty {
                r.problem("command", "must name the program to run, e.g. [\"/usr/local/bin/page-oncall\"]")
            }
        }
        if channel.type != .webhook && channel.format != .json {
            r.problem("format", "is only for type = \"webhook\" channels")
        }
        guard problemsBefore == 0, r.problemCount == 0 else { return }
        config.notify.append(channel)
    }
}

/// What a notification URL must be: http or https, with a host, without a fragment.
enum NotifyURLRule {
    static func problem(_ text: String) -> String? {
        guard !text.isEmpty else { return "must be set (an http:// or https:// URL)" }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            return "must be an http:// or https:// URL (got \"\(NotifyRedaction.url(text))\")"
        }
        guard let host = url.host, !host.isEmpty else {
            return "has no host (got \"\(NotifyRedaction.url(text))\")"
        }
        if url.fragment != nil { return "must not have a #fragment" }
        return nil
    }
}
