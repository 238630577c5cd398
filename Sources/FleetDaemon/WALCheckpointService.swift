import FleetStore
import Logging

/// The store's background WAL checkpoints (`WALCheckpointer`) as a service: its loop runs on the
/// group's thread for it, and stops before the control socket is released.
final class WALCheckpointService: Service, Sendable {
    var name: String { "wal-checkpoint" }
    private let checkpointer: WALCheckpointer

    init(databasePath: String, logger: Logger) {
        checkpointer = WALCheckpointer(path: databasePath) { [logger] error in
            logger.error("WAL checkpoint failed (retried every second)", metadata: ["error": "\(error)"])
        }
    }

    func start() {}
    func run() { checkpointer.run() }
    func stop() { checkpointer.stop() }
}
