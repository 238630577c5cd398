import FleetCore
import Foundation

/// `docs/configuration.md`, rendered from the key table (`ConfigSchema`) by
/// `fleetwatchd --print-config-reference`. A test compares the committed file with this output,
/// so the reference cannot drift from what the loader accepts.
public enum ConfigurationReference {
    /// One table of the file in the reference.
    struct Section {
        let heading: String
        let summary: String
        let rows: [Row]
        let rules: [String]
        let notes: [String]
    }

    /// One key in the reference.
    struct Row {
        let key: String
        let type: String
        let defaultValue: String
        let range: String
        let meaning: String
    }

    public static let regenerate = "swift run fleetwatchd --print-config-reference > docs/configuration.md"

    public static func markdown() -> String {
        let sections = ConfigSchema.root.reference(heading: "", prefix: "", defaults: Configuration())
            .filter { !$0.heading.isEmpty }
        var out = [header, ""]
        out += sections.map { "- [`\($0.heading)`](#\(anchor($0.heading))) — \($0.summary)" }
        for section in sections {
            out += [
                "", "## `\(section.heading)`", "", section.summary, "",
                "| key | type | default | range | meaning |", "|---|---|---|---|---|",
            ]
            for row in section.rows {
                let value = ["required", "—"].contains(row.defaultValue) ? row.defaultValue : "`\(row.defaultValue)`"
                let cells = ["`\(row.key)`", row.type, value, row.range, row.meaning].map(cell)
                out.append("| " + cells.joined(separator: " | ") + " |")
            }
            if !section.rules.isEmpty {
                out += ["", "Rules across keys:", ""] + section.rules.map { "- \($0)" }
            }
            for note in section.notes { out += ["", note] }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static var header: String {
        let needs = ConfigurationLoader.keysTheCLINeeds.map { "`\($0)`" }
        let needList = needs.dropLast().joined(separator: ", ") + " and " + (needs.last ?? "")
        return """
            # Configuration reference

            <!-- Generated from the loader's key table (Sources/FleetConfig/ConfigSchema*.swift) by
                 `fleetwatchd --print-config-reference`; do not edit by hand. Regenerate with
                 \(regenerate) -->

            One TOML file configures Fleetwatch (SPEC §4). `fleetwatchd --config FILE` reads it; every \
            `fleetwatch` command finds it through `--config FILE`, else `$FLEETWATCH_CONFIG`, else \
            `/etc/fleetwatch/fleetwatch.toml`. [examples/fleetwatch.toml](../examples/fleetwatch.toml) lists \
            every key of the fixed tables with its default, and the built-in kinds.

            - **Every key is optional** and has the default shown, except where the default says *required*.
            - **Durations** are numbers of seconds; fractions are allowed, so tests can run fast.
            - **Every number has a maximum**, so a typo such as `1e300` is refused by name instead of \
            silently turning a clock off.
            - **Problems are named and listed at once**: unknown keys are errors (a typo must not silently \
            fall back to a default), and every problem is reported as `config: KEY REASON`, by \
            `fleetwatchd --config FILE --check-config`, at start and on reload.
            - **Reload**: SIGHUP reloads kinds, rules, inventory, the SLA calendar and opening hours without losing \
            state; an invalid file is refused with a log line per problem and the running configuration stays. \
            `mqtt`, `storage` and `control` changes take effect at the next restart.
            - **The CLI** needs only \(needList): a problem in any other key is one warning on stderr and the \
            command still runs (the daemon may be running on the last valid file); a problem in one of \
            these stops the command, naming the key.
            """
    }

    /// GitHub's heading anchors: lower case, letters, digits, `-` and `_`, spaces as `-`.
    static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            })
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
