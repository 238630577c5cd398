import Foundation
import SQLite

/// Copies the write-ahead log back into the database file on a thread of its own.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the log past 1,000 pages:
/// on the daemon's engine loop, about 250 ms every few seconds with 100,000 devices (page copies
/// and `fdatasync`s), while due deadlines wait (docs/benchmarks.md, detection latency). The
/// writer moves that threshold far out (`StoreWriter(checkpointsInBackground: true)`, a
/// backstop) and this thread runs a PASSIVE checkpoint every second instead, which never blocks
/// the writer or the CLI's readers. When the log has been copied completely, the writer's next
/// transaction starts it again from the beginning.
public final class WALCheckpointer: @unchecked Sendable {
    private let path: String
    private let interval: Double
    private let failed: @Sendable (Error) -> Void
    /// Guards `stopping`; the thread sleeps on it so that `stop()` does not wait out an interval.
    private let condition = NSCondition()
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// `failed` hears the first error of a run of failures (a locked or vanished file), not
    /// every retry.
    public init(path: String, interval: Double = 1, failed: @escaping @Sendable (Error) -> Void) {
        self.path = path
        self.interval = interval
        self.failed = failed
    }

    /// Starts a thread that calls `run()`.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "wal-checkpoint"
        self.thread = thread
        thread.start()
    }

    /// Checkpoints every interval until `stop()`, on the calling thread, which opens its own
    /// connection (a `Database` belongs to one thread). For a caller that gives it a thread of
    /// its own; `start()` does that itself.
    public func run() {
        defer { finished.signal() }
        var db: Database?
        var opened: FileIdentity?
        var failing = false
        while waitInterval() {
            do {
                // The daemon makes the file again when it was deleted under it: follow it there,
                // without letting the old connection's close delete the new file's WAL by name.
                if let current = opened, let now = FileIdentity(path), now != current {
                    try db?.keepWALFilesOnClose()
                    db = nil
                }
                if db == nil {
                    db = try Database(path: path, mode: .readWriteExisting)
                    opened = FileIdentity(path)
                }
                try db?.execute("PRAGMA wal_checkpoint(PASSIVE)")
                failing = false
            } catch {
                if !failing { failed(error) }
                failing = true
            }
        }
    }

    /// Which file a path names (device and inode), nil when there is none.
    private struct FileIdentity: Equatable {
        let device: Int
        let inode: Int

        init?(_ path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let device = attributes[.systemNumber] as? Int, let inode = attributes[.systemFileNumber] as? Int
            else { return nil }
            self.device = device
            self.inode = inode
        }
    }

    /// Sleeps one interval; false once `stop()` was called.
    private func waitInterval() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
        return !stopping
    }

    /// Makes `run()` return; the checkpoint in progress, if any, completes first. Waits for the
    /// thread `start()` made; a caller that runs `run()` itself waits for its own thread.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        guard thread != nil else { return }
        finished.wait()
        thread = nil
    }
}
