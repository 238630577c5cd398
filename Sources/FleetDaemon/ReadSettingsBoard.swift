import FleetConfig
import FleetCore
import Logging
import Synchronization

/// The configuration the HTTP side works with (language, zone, site names) and the bearer
/// token, published at start and after each SIGHUP reload: the engine loop writes, the HTTP
/// threads read, and neither waits for the other.
final class ReadSettingsBoard: Sendable {
    struct Settings: Sendable {
        var configuration: Configuration
        /// nil: `metrics.bearer_token_file` is "" and no token is asked for.
        var token: AccessToken?
        /// Counts reloads: an answer made under an earlier configuration is not served again.
        var generation = 0
    }

    private let current: Mutex<Settings>

    /// Reads the token file: a daemon whose token cannot be read does not start.
    init(_ configuration: Configuration) throws {
        current = Mutex(Settings(configuration: configuration, token: try Self.token(configuration)))
    }

    var settings: Settings { current.withLock { $0 } }

    /// After a reload: the new configuration, and the token file read again (rotated tokens take
    /// effect on SIGHUP). A token file that cannot be read now keeps the token in use.
    func reloaded(_ configuration: Configuration, logger: Logger) {
        var token = settings.token
        do {
            token = try Self.token(configuration)
        } catch {
            logger.error("bearer token not reloaded; the previous one stays in use", metadata: ["error": "\(error)"])
        }
        current.withLock { $0 = Settings(configuration: configuration, token: token, generation: $0.generation + 1) }
    }

    private static func token(_ configuration: Configuration) throws -> AccessToken? {
        let path = configuration.metrics.bearerTokenFile
        guard !path.isEmpty else { return nil }
        do {
            return AccessToken(try BearerTokenFile.read(path))
        } catch {
            throw DaemonError("metrics.bearer_token_file \(error.description)")
        }
    }
}
