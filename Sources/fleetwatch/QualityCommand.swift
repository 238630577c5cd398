import ArgumentParser
import FleetCore
import FleetViews
import Foundation

/// `fleetwatch quality [--site S] [--kind K] [--json]`: every device's link quality, worst
/// `loss_ratio` first (SPEC §11).
struct QualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Link quality per device (lost, duplicated, late heartbeats, reboots, latency), worst loss first.")

    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Only this site.") var site: String?
    @Option(name: .long, help: "Only this kind.") var kind: String?
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    /// A filter that cannot name anything is a usage error, not an empty table.
    func validate() throws {
        for (flag, value) in [("--site", site), ("--kind", kind)] {
            if let value, !TopicParser.isValidIdentifier(value) {
                throw ValidationError(
                    "\(flag) must be an id, [A-Za-z0-9_-]{1,64} (got \"\(TextSafety.forTerminal(value))\")")
            }
        }
    }

    func run() throws {
        let configuration = try options.load()
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let rows = try LiveValues(options: options, configuration: configuration).quality(site: site, kind: kind)
        if json {
            var out = JSONBytes(capacity: 1 << 16)
            out.raw("[")
            for (i, row) in rows.enumerated() {
                if i > 0 { out.raw(",") }
                out.bytes.append(contentsOf: render.qualityRow(row).utf8)
                if out.bytes.count >= 1 << 17 {
                    FileHandle.standardOutput.write(Data(out.bytes))
                    out.bytes.removeAll(keepingCapacity: true)
                }
            }
            out.raw("]\n")
            FileHandle.standardOutput.write(Data(out.bytes))
            return
        }
        var table = TextTable([
            "ID", "SITE", "KIND", "RECEIVED", "LOST", "LOSS", "DUP", "LATE", "REBOOTS", "P50 MS", "P95 MS",
        ])
        for row in rows {
            let q = row.quality
            table.add([
                row.id, row.site, row.kind, Self.count(q.received), Self.count(q.lost), Self.percent(q.lossRatio),
                Self.count(q.duplicates), Self.count(q.outOfOrder), String(q.reboots),
                q.latencyP50.map(Self.milliseconds) ?? "-", q.latencyP95.map(Self.milliseconds) ?? "-",
            ])
        }
        print(table.render())
    }

    static func count(_ x: Double) -> String { String(Int64(x.rounded())) }

    static func percent(_ ratio: Double) -> String {
        let tenths = (ratio * 1000).rounded() / 10
        return (tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)) + "%"
    }

    static func milliseconds(_ x: Double) -> String {
        abs(x) >= 100 ? String(Int64(x.rounded())) : String((x * 10).rounded() / 10)
    }

    /// One line for `fleetwatch device`.
    static func summary(_ q: LinkStats) -> String {
        var text =
            "received \(count(q.received)), lost \(count(q.lost)) (\(percent(q.lossRatio))), "
            + "duplicates \(count(q.duplicates)), out of order \(count(q.outOfOrder)), reboots \(q.reboots)"
        if let p50 = q.latencyP50, let p95 = q.latencyP95 {
            text += "; latency p50 \(milliseconds(p50)) ms, p95 \(milliseconds(p95)) ms"
        }
        return text
    }
}
