/// One key of the configuration file, in the key table (`ConfigSchema`): its name, where its value
/// goes in the typed settings (`Root`), what it accepts, and what it means. The loader reads and
/// validates through `read`; `docs/configuration.md` is rendered from the rest, so the two cannot
/// disagree. Build keys with the constructors in `ConfigKey+Types.swift`.
struct ConfigKey<Root> {
    /// The key within its table: `port`, not `mqtt.port`.
    let name: String
    /// For the reference: `seconds`, `integer`, `string`, `"text" or "json"`, …
    let type: String
    /// For the reference: the accepted values (`1 – 65535`, `> 0, ≤ 1`, `[A-Za-z0-9_-]{1,64}`).
    let range: String
    /// One line for the reference: what the key does.
    let meaning: String
    /// The default as TOML, rendered from default settings (the defaults live in FleetCore's
    /// settings types, once), or `required` / `—` for a key without a default.
    let renderDefault: (Root) -> String
    /// Reads the key from `reader` into `root`; a wrong type or value is reported and the
    /// default stays.
    let read: (TableReader, inout Root) -> Void
}
