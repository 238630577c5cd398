import FleetCore
import Foundation

extension ConfigurationLoader {
    /// Files the daemon must read at start (password, TLS material, the HTTP bearer token,
    /// notification secrets and commands): missing or unreadable ones are configuration problems too. Only the daemon and `--check-config` ask (`load(path:
    /// checkingFiles: true)`): the CLI never reads them and may run as a user who cannot.
    static func referencedFileProblems(_ config: Configuration) -> [ConfigurationError.Problem] {
        let files = [
            ("mqtt.password_file", config.mqtt.passwordFile), ("mqtt.tls_ca_file", config.mqtt.tlsCAFile),
            ("mqtt.tls_cert_file", config.mqtt.tlsCertFile), ("mqtt.tls_key_file", config.mqtt.tlsKeyFile),
        ]
        let storage =
            config.storage.backend == .postgres
            ? [("storage.postgres_password_file", config.storage.postgresPasswordFile)] : []
        var problems: [ConfigurationError.Problem] = (files + storage)
            .filter { !$0.1.isEmpty && !isReadableRegularFile($0.1) }
            .map { .init(key: $0.0, reason: "names \($0.1), which is missing or not readable") }
        if !config.metrics.bearerTokenFile.isEmpty {
            do {
                _ = try BearerTokenFile.read(config.metrics.bearerTokenFile)
            } catch {
                problems.append(.init(key: "metrics.bearer_token_file", reason: error.description))
            }
        }
        problems += notifyFileProblems(config.notify)
        return problems
    }

    /// Each channel's secret file (readable, not empty) and command (an executable program).
    static func notifyFileProblems(_ channels: [NotifyChannel]) -> [ConfigurationError.Problem] {
        var problems: [ConfigurationError.Problem] = []
        for (index, channel) in channels.enumerated() {
            let key = "notify[\(index)]"
            if !channel.secretFile.isEmpty {
                if !isReadableRegularFile(channel.secretFile) {
                    problems.append(
                        .init(
                            key: "\(key).secret_file",
                            reason: "names \(channel.secretFile), which is missing or not readable"))
                } else if (try? NotifySecret.read(channel.secretFile)) == nil {
                    problems.append(
                        .init(
                            key: "\(key).secret_file",
                            reason: "names \(channel.secretFile), which holds no secret (empty)"))
                }
            }
            if channel.type == .command, let program = channel.command.first, !program.isEmpty,
                executablePath(program) == nil
            {
                problems.append(
                    .init(
                        key: "\(key).command",
                        reason: "names \(program), which is not an executable file (nor on PATH)"))
            }
        }
        return problems
    }

    /// The program a command channel runs: a path with a `/` as it is, a bare name searched on PATH.
    public static func executablePath(_ program: String) -> String? {
        let candidates =
            program.contains("/")
            ? [program]
            : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
                .split(separator: ":").map { "\($0)/\(program)" }
        return candidates.first { isReadableRegularFile($0) && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `isReadableFile` alone is true for a directory too.
    private static func isReadableRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isReadableFile(atPath: path)
    }
}
