import FleetCore
import Foundation

extension ConfigurationLoader {
    /// Files the daemon must read at start (password, TLS material): missing or unreadable ones
    /// are configuration problems too. Only the daemon and `--check-config` ask: the CLI never
    /// reads them and may run as a user who cannot.
    public static func checkReferencedFiles(_ config: Configuration) throws(ConfigurationError) {
        var problems: [ConfigurationError.Problem] = []
        let files = [("mqtt.password_file", config.mqtt.passwordFile), ("mqtt.tls_ca_file", config.mqtt.tlsCAFile),
                     ("mqtt.tls_cert_file", config.mqtt.tlsCertFile), ("mqtt.tls_key_file", config.mqtt.tlsKeyFile)]
        for (key, path) in files where !path.isEmpty && !FileManager.default.isReadableFile(atPath: path) {
            problems.append(.init(key: key, reason: "names \(path), which is missing or not readable"))
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
    }
}
