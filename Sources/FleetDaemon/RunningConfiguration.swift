import FleetConfig
import FleetCore
import Logging

/// The configuration the daemon runs with, and SIGHUP's reload of it: a new, valid file replaces
/// it without losing state; an invalid one is refused and the old one kept. `mqtt`, `storage`,
/// `ha` and `control` change only on restart (they name connections, files and the node already
/// open).
struct RunningConfiguration {
    private(set) var current: Configuration
    /// nil for an embedded daemon given a configuration value: there is nothing to reload.
    let path: String?
    /// Where the HTTP side picks up a reloaded configuration (and token), if it runs.
    let readSettings: ReadSettingsBoard?

    init(_ configuration: Configuration, path: String?, readSettings: ReadSettingsBoard? = nil) {
        current = configuration
        self.path = path
        self.readSettings = readSettings
    }

    /// Reads the file again; the configuration to apply, or nil when refused (the problems are logged).
    mutating func reload(logger: Logger) -> Configuration? {
        guard let path else { return nil }
        let next: Configuration
        do {
            next = try ConfigurationLoader.load(path: path)
        } catch {
            for problem in error.problems {
                logger.error(
                    "configuration reload refused; keeping the running configuration",
                    metadata: ["key": "\(problem.key)", "reason": "\(problem.reason)"])
            }
            return nil
        }
        // History's keys (issue 15) apply at once; the files stay those opened at start.
        var storage = current.storage
        storage.historyDays = next.storage.historyDays
        storage.historyIntervalSeconds = next.storage.historyIntervalSeconds
        storage.historyRawDays = next.storage.historyRawDays
        if next.mqtt != current.mqtt || next.storage != storage || next.control != current.control
            || next.ha != current.ha
        {
            logger.warning(
                "mqtt, storage, ha and control settings change only on restart (storage.history_* apply now)")
        }
        var applied = next
        applied.mqtt = current.mqtt
        applied.storage = storage
        applied.ha = current.ha
        applied.control = current.control
        current = applied
        readSettings?.reloaded(applied, logger: logger)
        return applied
    }
}
