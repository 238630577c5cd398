import FleetConfig
import FleetCore
import FleetStore
import Foundation
import Logging
import Synchronization

/// The notification service (SPEC §14): one `ChannelWorker` per `[[notify]]` channel, each on
/// its own thread with its own connection to the database. The engine loop only signals that
/// events were committed (`eventsCommitted`, never blocking) and hands over a reloaded
/// configuration; it never waits for a receiver.
///
/// Started after the database (it reads what is committed) and before the engine loop (which
/// signals it); stopped after the engine loop's last commit. A request in flight at stop is
/// cancelled: its event was not answered 2xx, so it is sent again after the restart.
final class Notifier: Service, Sendable {
    var name: String { "notifier" }
    let store: StoreLocation
    private let board: NotifyBoard
    let logger: Logger
    private let workers = Mutex<[ChannelWorker]>([])
    /// The channels and context to run with next; taken by `run()`'s thread.
    private let wanted: Mutex<(channels: [NotifyChannel], context: NotifyContext)>
    private let changed = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    /// Channels deliver only on the active node (SPEC §15): a standby's are stopped, and the
    /// node that takes over starts them at the positions the database holds.
    private let active: Atomic<Bool>

    init(
        configuration: Configuration, store: StoreLocation, board: NotifyBoard, active: Bool = true,
        logger: Logger
    ) {
        self.store = store
        self.active = Atomic(active)
        self.board = board
        self.logger = logger
        wanted = Mutex((configuration.notify, NotifyContext(configuration)))
    }

    /// Checks that every secret can be read, so a broken channel stops the start, not the channel.
    func start() throws {
        for channel in wanted.withLock({ $0.channels }) where !channel.secretFile.isEmpty {
            do {
                _ = try NotifySecret.read(channel.secretFile)
            } catch {
                throw DaemonError("notify \(channel.name): secret_file \(error.description)")
            }
        }
    }

    func run() {
        while !stopping.load(ordering: .acquiring) {
            let next = wanted.withLock { $0 }
            apply(active.load(ordering: .acquiring) ? next : ([], next.context))
            changed.wait(seconds: 3600)
        }
        let all = workers.withLock { current in
            defer { current = [] }
            return current
        }
        for worker in all { worker.stop() }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        changed.signal()
    }

    /// From the engine loop, on a role change: channels run while this node is active.
    func setActive(_ isActive: Bool) {
        guard active.exchange(isActive, ordering: .acquiringAndReleasing) != isActive else { return }
        changed.signal()
    }

    /// From the engine loop, after a commit that wrote events: every channel looks now.
    func eventsCommitted() {
        for worker in workers.withLock({ $0 }) { worker.wake.signal() }
    }

    /// From the engine loop, after SIGHUP: added channels start, removed ones stop, changed ones
    /// restart with their position kept (the database rows were synced before).
    func reconfigure(_ configuration: Configuration) {
        wanted.withLock { $0 = (configuration.notify, NotifyContext(configuration)) }
        changed.signal()
    }

    /// The running channel named `name`, for `fleetwatch notify test`.
    func channel(named name: String) -> NotifyChannel? {
        wanted.withLock { $0.channels.first { $0.name == name } }
    }

    var context: NotifyContext { wanted.withLock { $0.context } }

    var wantedNames: [String] { wanted.withLock { $0.channels.map(\.name) } }

    private func apply(_ next: (channels: [NotifyChannel], context: NotifyContext)) {
        let current = workers.withLock { $0 }
        var keep: [ChannelWorker] = []
        for worker in current {
            if next.channels.contains(worker.channel) && worker.context == next.context {
                keep.append(worker)
            } else {
                worker.stop()
            }
        }
        for channel in next.channels where !keep.contains(where: { $0.channel == channel }) {
            let secret: [UInt8]?
            do {
                secret = channel.secretFile.isEmpty ? nil : try NotifySecret.read(channel.secretFile)
            } catch {
                logger.error(
                    "notification channel not started: its secret cannot be read",
                    metadata: ["channel": "\(channel.name)", "error": "\(error.description)"])
                continue
            }
            let worker = ChannelWorker(
                channel: channel, secret: secret, store: store,
                context: next.context, board: board, logger: logger)
            worker.start()
            keep.append(worker)
        }
        board.keep(only: Set(next.channels.map(\.name)))
        workers.withLock { $0 = keep }
    }
}
