import FleetCore

/// The key table: every key of the configuration file, with its type, range and meaning, and
/// where its value goes in `Configuration`. Defaults are not repeated here: they are the
/// defaults of FleetCore's settings types, and the reference renders them from those.
///
/// The loader validates through this table and `fleetwatchd --print-config-reference` renders
/// `docs/configuration.md` from it, so a key added here is read, checked and documented at once.
/// Tables are read in the order listed; a later table may check against an earlier one
/// (`devices` against `kinds`). Each section lives in its own file, `ConfigSchema+Section.swift`.
enum ConfigSchema {
    static var root: ConfigTable<Configuration> {
        ConfigTable<Configuration>(
            "The whole file.",
            nested: [
                .table("mqtt", \.mqtt, mqtt),
                .table("storage", \.storage, storage),
                .table("ha", \.ha, ha),
                .table("control", \.control, control),
                .table("metrics", \.metrics, metrics),
                .table("detection", \.detection, detection),
                .table("escalation", \.escalation, escalation),
                .table("sla", \.sla, sla),
                .table("report", \.report, report),
                .namedTables(
                    "schedules", \.schedules, naming: "schedule name", new: { _ in ScheduleSettings() },
                    schedule),
                .namedTables("kinds", \.kinds, naming: "kind name", new: { _ in KindSettings() }, kind),
                .namedTables("sites", \.sites, naming: "site id", new: { _ in SiteSettings() }, site),
                .tableArray(
                    "devices", new: { InventoryDevice(id: "", site: "", kind: "") }, device,
                    rules: [
                        "ids are unique across the fleet",
                        "`kind` is a configured kind (built in or under `[kinds.NAME]`)",
                    ],
                    state: { Set<String>() }, add: addDevice),
                .tableArray(
                    "notify", new: { NotifyChannel() }, notify, rules: notifyRules,
                    state: { Set<String>() }, add: addNotify),
            ],
            checks: [siteSchedulesExist, haNeedsPostgres])
    }

    static var storage: ConfigTable<StorageSettings> {
        ConfigTable<StorageSettings>(
            "Where the daemon keeps its state and writes its alert log.",
            keys: [
                .choice(
                    "backend", \.backend, StorageBackend.allCases,
                    "`sqlite`: the embedded file `database`; `postgres`: the database at `postgres_url`, which "
                        + "several daemons may share (`[ha]`, SPEC §15)."),
                .text(
                    "database", \.database,
                    "SQLite database (WAL mode); the daemon is its only writer, the CLI reads it. Unused with "
                        + "`backend = \"postgres\"`.",
                    rule: .nonEmpty, type: "path"),
                .text(
                    "postgres_url", \.postgresURL,
                    "With `backend = \"postgres\"`: the database, e.g. `postgresql://fleetwatch@db1/fleetwatch`. "
                        + "A password may be in it, in `~/.pgpass` or `PGPASSFILE`, or in `postgres_password_file`; "
                        + "it is never logged.",
                    rule: postgresURLRule, type: "URI"),
                .text(
                    "postgres_password_file", \.postgresPasswordFile,
                    "File holding the PostgreSQL password (a trailing newline is ignored); wins over the URL's.",
                    type: "path"),
                .text(
                    "alert_log", \.alertLog, "The alert log: one line per event, appended, flushed per line.",
                    rule: .nonEmpty, type: "path"),
                .choice(
                    "alert_log_format", \.alertLogFormat, [.text, .json],
                    "`text` lines, or one JSON object per line with the same fields."),
                .count(
                    "history_days", \.historyDays, 0...3650,
                    "Metric history is kept this long (hourly rollups once raw samples go); 0 turns it off."),
                .seconds(
                    "history_interval_s", \.historyIntervalSeconds, NumberRange(0.1, day),
                    "At least one history sample per device per this long, with every numeric metric of its "
                        + "heartbeat."),
                .count(
                    "history_raw_days", \.historyRawDays, 1...3650,
                    "Raw samples are kept this long (at most `history_days`); older history as hourly "
                        + "min/avg/max/count."),
            ],
            checks: [
                ConfigCheck("`backend = \"postgres\"` needs `postgres_url`") { r, s in
                    if s.backend == .postgres && s.postgresURL.isEmpty {
                        r.problem("postgres_url", "must be set when storage.backend is \"postgres\"")
                    }
                }
            ],
            notes: [
                "The daemon and `--check-config` also check that `postgres_password_file`, when set, names a readable "
                    + "regular file, and that `postgres_url` parses as a libpq URI with a port of 1-65535, a known "
                    + "`sslmode` and whole-second `connect_timeout`; neither connects."
            ])
    }

    /// A URI (what SPEC §15 shows); the value is never repeated in the message, as it may hold a password.
    static let postgresURLRule = TextRule(reference: "`\"\"` or a `postgresql://` URI") {
        guard !$0.isEmpty else { return nil }
        guard $0.hasPrefix("postgresql://") || $0.hasPrefix("postgres://") else {
            return "must be a postgresql:// URI (the value is not shown: it may hold a password)"
        }
        return $0.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F }
            ? "must not contain spaces or control characters (percent-encode them)" : nil
    }

    static var control: ConfigTable<ControlSettings> {
        ConfigTable<ControlSettings>(
            "The daemon's control socket, which the CLI's changing commands use.",
            keys: [
                .text(
                    "socket", \.socket, "Unix socket for `ack`, `dispatch`, `maintenance add`, …; mode 0660.",
                    rule: TextRule(reference: "not empty, ≤ 107 bytes") {
                        if $0.isEmpty { return "must not be empty" }
                        return $0.utf8.count > 107 ? "must be at most 107 bytes (a Unix socket path)" : nil
                    }, type: "path")
            ])
    }

    static var metrics: ConfigTable<MetricsSettings> {
        ConfigTable<MetricsSettings>(
            "The HTTP endpoint: `/metrics` (Prometheus), `/healthz`, the status page `/` and the read API "
                + "`/api/v1/…` (SPEC §9, §16). Read-only; on loopback unless `listen` says otherwise.",
            keys: [
                .text(
                    "listen", \.listen, "Address of the endpoint; `\"\"` turns it off.",
                    rule: TextRule(
                        reference: "IPv4 address or `localhost` with a port, or `\"\"`",
                        check: checkListen),
                    type: "`HOST:PORT`"),
                .text(
                    "bearer_token_file", \.bearerTokenFile,
                    "File holding a token; set → every path but `/healthz` needs `Authorization: Bearer TOKEN` "
                        + "(401 otherwise). A trailing newline is ignored; SIGHUP reads it again.",
                    type: "path"),
            ],
            notes: [
                "The daemon and `--check-config` also check that `bearer_token_file`, when set, names a readable "
                    + "regular file holding a token (not empty, no spaces or control characters)."
            ])
    }

    /// Only what the metrics server can bind passes: `[::1]:9731` used to pass and the daemon
    /// then ran without its endpoint.
    @Sendable static func checkListen(_ text: String) -> String? {
        guard !text.isEmpty else { return nil }
        guard let address = ListenAddress(text) else { return "must be HOST:PORT or \"\" (got \"\(text)\")" }
        guard address.isIPv4OrLocalhost else {
            return "must be an IPv4 address or localhost with a port, e.g. 127.0.0.1:9731 "
                + "(IPv6 and host names are not supported; got \"\(text)\")"
        }
        return nil
    }
}
