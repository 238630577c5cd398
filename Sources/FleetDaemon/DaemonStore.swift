import FleetCore
import FleetStore
import SystemCalls

/// The daemon's writer for its backend and role (SPEC §15), opened before anything is restored:
/// - SQLite: the file (its directory created), migrated, WAL checkpoints left to a thread of their own;
/// - PostgreSQL without `[ha]` (role `single`): a session holding the active lock, or a refusal
///   naming the node that holds it;
/// - PostgreSQL with `[ha]`: a writer without the lock (the node starts as a standby) and the
///   session the engine restores from, which the election then polls on.
struct DaemonStore {
    enum Mode: Equatable {
        case sqlite
        case postgres(ha: Bool)
    }

    let writer: any StoreWriting
    let location: StoreLocation
    let mode: Mode
    let node: String
    /// The PostgreSQL writer, for the election and role changes; nil with SQLite.
    let postgres: PostgresStoreWriter?
    /// The SQLite file did not exist and was created at this start (see `Persistence.restore`).
    var created = false

    static func open(_ configuration: Configuration) throws -> DaemonStore {
        let location: StoreLocation
        do {
            location = try StoreLocation(configuration.storage)
        } catch {
            throw DaemonError("\(error)")
        }
        let node = configuration.ha.resolvedNode
        switch location {
        case .sqlite(let path):
            do {
                try FileSystem.createParentDirectory(of: path)
            } catch {
                throw DaemonError("storage.database \(path): cannot create its directory (\(error.reason))")
            }
            do {
                // A new file gets mode 0640, like the log: it holds who did what.
                let created = try FileSystem.status(of: path) == nil
                if created { try FileDescriptor.open(path, .createNew(mode: 0o640)).release() }  // empty
                let writer = try StoreWriter(path: path, checkpointsInBackground: true)
                return DaemonStore(
                    writer: writer, location: location, mode: .sqlite, node: node, postgres: nil,
                    created: created)
            } catch {
                throw DaemonError("storage.database \(path): \(error)")
            }
        case .postgres(let target):
            do {
                let writer: PostgresStoreWriter
                if configuration.ha.enabled {
                    writer = PostgresStoreWriter(node: node)
                    writer.attach(try PostgresSession(target, node: node))
                } else {
                    writer = try PostgresStore.singleWriter(target, node: node)
                }
                return DaemonStore(
                    writer: writer, location: location, mode: .postgres(ha: configuration.ha.enabled),
                    node: node, postgres: writer)
            } catch {
                throw DaemonError("storage.postgres_url \(target): \(error)")
            }
        }
    }

    var highlyAvailable: Bool { mode == .postgres(ha: true) }

    /// The PostgreSQL database (for the election's sessions); an empty target with SQLite.
    var target: PostgresTarget {
        if case .postgres(let target) = location { return target }
        return PostgresTarget(url: "")
    }

    /// What this node is when the daemon starts: HA nodes start as standbys.
    var initialRole: NodeRole { highlyAvailable ? .standby : .single }
}
