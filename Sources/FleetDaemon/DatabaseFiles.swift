import FleetStore
import SystemCalls

/// The database's three files (`PATH`, `PATH-wal`, `PATH-shm`) as the daemon opened them, so it
/// notices when they are deleted or replaced under it. SQLite keeps writing to a deleted file
/// (its descriptors still reach it), so nothing fails: the daemon's commits go where no one can
/// read them, every reading `fleetwatch` command fails, and the data is lost at exit. A `stat`
/// of each path about once a second is how the daemon finds out.
struct DatabaseFiles {
    let path: String
    private struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64
    }
    /// What each path named when recorded; nil for a file that was not there yet (the WAL
    /// files appear with the first transaction).
    private var recorded: [String: Identity] = [:]

    static func paths(_ database: String) -> [String] { [database, database + "-wal", database + "-shm"] }

    init(path: String) {
        self.path = path
        record()
    }

    /// Takes the files at the paths now as ours.
    mutating func record() {
        recorded = [:]
        for file in Self.paths(path) {
            if let status = try? FileSystem.status(of: file) {
                recorded[file] = Identity(device: status.device, inode: status.inode)
            }
        }
    }

    /// What happened to the files, or nil while every one we hold is where it was. A WAL file
    /// that appeared since is taken as ours.
    mutating func problem() -> String? {
        for file in Self.paths(path) {
            let now: Identity?
            do {
                now = try FileSystem.status(of: file).map { Identity(device: $0.device, inode: $0.inode) }
            } catch {
                return "\(file) cannot be looked at (\(error.reason))"
            }
            switch (recorded[file], now) {
            case (nil, nil): continue
            case (nil, let appeared?):
                if file == path { return "\(file) was replaced" }
                recorded[file] = appeared
            case (_?, nil): return "\(file) was deleted"
            case (let held?, let current?): if held != current { return "\(file) was replaced" }
            }
        }
        return nil
    }

    /// Whether the file at `file` is the one recorded (so it is ours, not someone else's).
    func isOurs(_ file: String) -> Bool {
        guard let held = recorded[file], let status = try? FileSystem.status(of: file) else { return false }
        return Identity(device: status.device, inode: status.inode) == held
    }
}
