import ArgumentParser
import FleetCore
import FleetStore
import FleetViews
import Foundation

/// `fleetwatch history DEVICE [--metric M] [--since TIME] [--until TIME] [--hourly] [--json]`
/// (SPEC §12): a device's metric history, the last 24 h by default.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A device's metric history: a sparkline, min/avg/max and the last value per metric.",
        discussion: """
            TIME is RFC 3339 or a span ago (90m, 24h, 7d). Raw samples are shown while they are kept \
            (storage.history_raw_days), hourly min/avg/max/count for older periods or with --hourly.
            """)

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Device id, e.g. robot-01.") var device: String
    @Option(name: .long, help: "Only this metric, e.g. battery_pct.") var metric: String?
    @Option(name: .long, help: "From this time (default: 24h ago).") var since: String?
    @Option(name: .long, help: "Until this time (default: now).") var until: String?
    @Flag(name: .long, help: "Hourly min/avg/max/count even where raw samples are kept.") var hourly = false
    @Flag(name: .long, help: "Print a JSON array, oldest first.") var json = false

    func validate() throws {
        let (from, to) = try period()
        guard from < to else { throw ValidationError("--since must be before --until") }
    }

    func period(now: Double = Date().timeIntervalSince1970) throws -> (Double, Double) {
        let from = try since.map { try TimeArgument.parse($0, option: "--since", now: now, ago: true) } ?? now - 86400
        let to = try until.map { try TimeArgument.parse($0, option: "--until", now: now, ago: true) } ?? now
        return (from, to)
    }

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        guard try store.device(device) != nil else {
            throw CLIFailure("no device \(TextSafety.forTerminal(device)) (see fleetwatch devices)")
        }
        let now = Date().timeIntervalSince1970
        let (from, to) = try period(now: now)
        let query = HistoryQuery(
            store: store, device: device, from: from, until: to, hourly: hourly, now: now,
            rawSeconds: configuration.storage.historyRawSeconds)
        guard let (all, known) = try query.run() else {
            if let metric { throw CLIFailure("device \(device) has no history of \(metric) (it has no history yet)") }
            if json { print("[]") } else { print(Self.noHistory(device, configuration.storage)) }
            return
        }
        if let metric, !known.contains(metric) {
            throw CLIFailure(
                "device \(device) has no history of \(metric) (it has: \(known.sorted().joined(separator: ", ")))")
        }
        let result = all.only(metric)
        if json {
            print(Self.json(result, render))
            return
        }
        print(HistoryTable(result: result, from: from, until: to, render: render).text(device: device))
    }

    static func noHistory(_ device: String, _ storage: StorageSettings) -> String {
        storage.historyEnabled
            ? "no history for \(device) yet (a sample is kept every "
                + "\(DurationText.seconds(storage.historyIntervalSeconds)) once it sends numeric metrics)"
            : "no history for \(device): history is off (storage.history_days = 0)"
    }

    /// Oldest first: `{ts, metric, value}` per raw sample, `{ts, metric, min, avg, max, count}` per hour.
    static func json(_ result: HistoryQuery.Result, _ render: JSONRendering) -> String {
        switch result {
        case .raw(let points):
            return JSONText.array(
                points.map { p in
                    JSONText.object([
                        ("ts", .string(render.time.format(p.time, milliseconds: true))),
                        ("metric", .string(p.metric)), ("value", JSONRendering.value(p.value)),
                    ])
                })
        case .hourly(let hours):
            return JSONText.array(
                hours.map { h in
                    let a = h.aggregate
                    return JSONText.object([
                        ("ts", render.timestamp(h.time)), ("metric", .string(h.metric)),
                        ("min", JSONRendering.value(a.min)), ("avg", JSONRendering.value(Self.round(a.average))),
                        ("max", JSONRendering.value(a.max)), ("count", .int(Int64(a.count))),
                    ])
                })
        }
    }

    /// Averages to six significant digits: `36.5`, not `36.50000000000001`.
    static func round(_ v: Double) -> Double {
        guard v != 0, v.isFinite else { return v }
        let scale = pow(10, 5 - floor(log10(abs(v))))
        return (v * scale).rounded() / scale
    }
}
