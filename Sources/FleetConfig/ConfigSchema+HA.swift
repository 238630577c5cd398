import FleetCore

extension ConfigSchema {
    static var ha: ConfigTable<HASettings> {
        ConfigTable<HASettings>(
            "Active/standby (SPEC §15): several daemons on one PostgreSQL database; the one holding its advisory "
                + "lock is active, the others track every device and write nothing until they take over.",
            keys: [
                .flag(
                    "enabled", \.enabled,
                    "Run as one node of several on `storage.postgres_url` (needs `storage.backend = \"postgres\"`)."),
                .text(
                    "node", \.node,
                    "This node's name, in `fleetwatch status`, its MQTT client ids (`mqtt.client_id`-NODE, and "
                        + "-NODE-state while active) and `PREFIX/$fleetwatch/nodes/NODE`; `\"\"`: the host name.",
                    rule: nodeRule),
            ])
    }

    /// It goes into a topic level and a client id: no wildcards, no `/`.
    static let nodeRule = TextRule(reference: "`\"\"` or `[A-Za-z0-9._-]{1,64}`") {
        guard !$0.isEmpty else { return nil }
        let valid =
            $0.utf8.count <= 64
            && $0.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || "._-".unicodeScalars.contains($0)
            }
        return valid ? nil : "must be 1-64 letters, digits, '.', '_' or '-' (got \"\($0)\")"
    }

    static var haNeedsPostgres: ConfigCheck<Configuration> {
        ConfigCheck<Configuration>(
            "`[ha] enabled` needs `storage.backend = \"postgres\"`"
        ) { r, config in
            if config.ha.enabled && config.storage.backend != .postgres {
                r.problem("ha.enabled", "needs storage.backend = \"postgres\" (nodes share one PostgreSQL database)")
            }
        }
    }
}
