import ArgumentParser
import FleetCore
import FleetReport
import FleetStore
import Foundation

/// `fleetwatch report`: the inspection report (巡检报告, SPEC §13) from the database; works with
/// the daemon stopped.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "The monthly inspection report (巡检报告): availability, faults and their handling, risks, recommendations.",
        discussion: """
            The default period is the last full calendar month in sla.timezone. TIME is RFC 3339 or YYYY-MM-DD \
            (local midnight); --to is the end of the period, not included. --output DIR/ writes \
            DIR/report-PERIOD[-SITE].EXT.
            """)

    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "The calendar month, YYYY-MM (default: last month).") var month: String?
    @Option(name: .long, help: "Start of the period: RFC 3339 or YYYY-MM-DD.") var from: String?
    @Option(name: .long, help: "End of the period (not included): RFC 3339 or YYYY-MM-DD (default: now).") var to:
        String?
    @Option(name: .long, help: "Only this site.") var site: String?
    @Option(name: .long, help: "html (default), markdown or json.") var format = "html"
    @Option(name: .long, help: "zh-CN or en (default: [report] language).") var lang: String?
    @Option(name: .long, help: "Write to this file (or into this directory) instead of standard output.") var output:
        String?

    /// Longer periods are refused: the daily charts and the day-by-day figures are per day.
    static let maximumDays = 400.0

    enum Format: String, CaseIterable {
        case html, markdown, json
        var fileExtension: String { self == .markdown ? "md" : rawValue }
    }

    func validate() throws {
        guard Format(rawValue: format) != nil else {
            throw ValidationError("--format must be html, markdown or json (got \"\(format)\")")
        }
        if let lang, ReportLanguage(rawValue: lang) == nil {
            throw ValidationError("--lang must be zh-CN or en (got \"\(lang)\")")
        }
        if month != nil && (from != nil || to != nil) {
            throw ValidationError("use either --month or --from/--to, not both")
        }
        if to != nil && from == nil { throw ValidationError("--to needs --from") }
        if let month, ReportPeriod.month(month, zone: TimeZone(secondsFromGMT: 0) ?? .current) == nil {
            throw ValidationError("--month must be YYYY-MM, e.g. 2026-11 (got \"\(month)\")")
        }
        if let site, !TopicParser.isValidIdentifier(site) {
            throw ValidationError("--site must be a site id, [A-Za-z0-9_-]{1,64} (got \"\(site)\")")
        }
    }

    func run() throws {
        // The calendar always; `[report] language` unless --lang says otherwise (a broken one
        // would otherwise fall back to zh-CN behind a warning that it is not used).
        let configuration = try options.load(needing: ["sla"] + (lang == nil ? ["report"] : []))
        let now = Date().timeIntervalSince1970
        let zone = TimeFormat(zoneIdentifier: configuration.sla.timezone).zone
        let period = try self.period(zone: zone, now: now)
        let rows: ReportRows
        let store = try options.openStore(configuration, allowingEmpty: true)
        do {
            rows = try store.reportRows(from: period.from, to: period.to, site: site)
        } catch {
            throw CLIFailure("cannot read the \(configuration.storage.backend.rawValue) store: \(error)")
        }
        if let site, configuration.sites[site] == nil, !rows.devices.contains(where: { $0.site == site }) {
            throw CLIFailure("no site \(site) in the configuration or the database (see fleetwatch status)")
        }
        let input = ReportInput(
            period: period, sla: configuration.sla,
            language: lang.flatMap(ReportLanguage.init(rawValue:)) ?? configuration.report.language, site: site,
            siteNames: configuration.sites.compactMapValues(\.name),
            repeatFailures: configuration.escalation.repeatFailures, generatedAt: now, historySince: rows.historySince,
            devices: rows.devices, stateAtStart: rows.stateAtStart, changes: rows.changes, incidents: rows.incidents,
            events: rows.events, maintenance: rows.maintenance)
        let report = InspectionReport(input)
        let kind = Format(rawValue: format) ?? .html
        let text =
            switch kind {
            case .html: ReportHTML.render(report)
            case .markdown: ReportMarkdown.render(report)
            case .json: ReportJSON.render(report)
            }
        try write(text, kind: kind, period: period)
    }

    /// The period the options name, in the SLA zone.
    func period(zone: TimeZone, now: Double) throws -> ReportPeriod {
        let period: ReportPeriod
        if let month {
            guard let p = ReportPeriod.month(month, zone: zone) else {
                throw ValidationError("--month must be YYYY-MM, e.g. 2026-11 (got \"\(month)\")")
            }
            period = p
        } else if let from {
            let start = try Self.time(from, option: "--from", zone: zone)
            let end = try to.map { try Self.time($0, option: "--to", zone: zone) } ?? now
            guard end > start else { throw ValidationError("--to must be after --from") }
            period = ReportPeriod(from: start, to: end)
        } else {
            period = ReportPeriod.lastFullMonth(before: now, zone: zone)
        }
        guard period.to - period.from <= Self.maximumDays * 86400 else {
            throw ValidationError("the period must be at most \(Int(Self.maximumDays)) days long")
        }
        return period
    }

    static func time(_ text: String, option: String, zone: TimeZone) throws -> Double {
        if let t = RFC3339.parse(text) ?? ReportPeriod.localMidnight(text, zone: zone) { return t }
        throw ValidationError("\(option) must be an RFC 3339 time or a date YYYY-MM-DD (got \"\(text)\")")
    }

    /// To standard output, or atomically (a new file renamed into place) to `--output`, so a
    /// reader or the timer's next run never sees half a report.
    func write(_ text: String, kind: Format, period: ReportPeriod) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        var isDirectory: ObjCBool = false
        var path = output
        if output.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
                && isDirectory.boolValue)
        {
            path = (output.hasSuffix("/") ? output : output + "/") + Self.fileName(period, site: site, kind: kind)
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// `report-2026-11.html`, `report-2026-11-tianshan.json`, `report-20261101T0000-20261115T0000.md`.
    static func fileName(_ period: ReportPeriod, site: String?, kind: Format) -> String {
        let span = period.month ?? "\(compact(period.from))-\(compact(period.to))"
        return "report-\(span)\(site.map { "-\($0)" } ?? "").\(kind.fileExtension)"
    }

    private static func compact(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = "yyyyMMdd'T'HHmm'Z'"
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}
