import FleetCore
import Foundation

extension ConfigurationLoader {
    /// Files the daemon must read at start (password, TLS material, the HTTP bearer token): missing or unreadable ones
    /// are configuration problems too. Only the daemon and `--check-config` ask (`load(path:
    /// checkingFiles: true)`): the CLI never reads them and may run as a user who cannot.
    static func referencedFileProblems(_ config: Configuration) -> [ConfigurationError.Problem] {
        let files = [("mqtt.password_file", config.mqtt.passwordFile), ("mqtt.tls_ca_file", config.mqtt.tlsCAFile),
                     ("mqtt.tls_cert_file", config.mqtt.tlsCertFile), ("mqtt.tls_key_file", config.mqtt.tlsKeyFile)]
        var problems: [ConfigurationError.Problem] = files.filter { !$0.1.isEmpty && !isReadableRegularFile($0.1) }
            .map { .init(key: $0.0, reason: "names \($0.1), which is missing or not readable") }
        if !config.metrics.bearerTokenFile.isEmpty {
            do {
                _ = try BearerTokenFile.read(config.metrics.bearerTokenFile)
            } catch {
                problems.append(.init(key: "metrics.bearer_token_file", reason: error.description))
            }
        }
        return problems
    }

    /// `isReadableFile` alone is true for a directory too.
    private static func isReadableRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isReadableFile(atPath: path)
    }
}
