import Foundation

/// Another process holding SQLite's write lock on a database (`BEGIN EXCLUSIVE` in the real
/// `sqlite3`), until `release()`. The sqlite3 process itself is the child, not a shell around
/// it, so stopping or losing the test kills the lock holder.
final class DatabaseLock {
    private let input = Pipe()
    let child: ChildProcess

    /// Returns once the lock is held (sqlite3 has answered a statement inside the transaction).
    init(database: String, logPath: String) throws {
        child = try ChildProcess(
            name: "sqlite3-lock", executable: "/usr/bin/sqlite3", arguments: [database],
            logPath: logPath, standardInput: input)
        try send("BEGIN EXCLUSIVE;\nSELECT 'lock held';\n")
        guard waitUntil(10, interval: 0.02, { child.log.contains("lock held") || !child.isRunning }),
            child.log.contains("lock held")
        else {
            child.stop()
            throw HarnessError("sqlite3 did not take the lock: \(child.log)")
        }
    }

    /// Commits, quits and waits for sqlite3 to exit.
    func release() throws {
        try send("COMMIT;\n.quit\n")
        try? input.fileHandleForWriting.close()
        guard child.wait(timeout: 10) == 0 else {
            child.stop()
            throw HarnessError("sqlite3 did not release the lock cleanly: \(child.log)")
        }
    }

    private func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }
}
