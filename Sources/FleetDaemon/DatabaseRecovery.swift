import FleetCore
import FleetStore
import SystemCalls

/// Makes the database file again at its path after it was deleted or replaced under the daemon,
/// from the daemon's own open connection: a complete copy (SQLite's backup API reads the old
/// file and its WAL through the descriptors still open), so no device, incident, event or
/// window is lost, history included. A file someone put at the path is moved aside, not deleted.
enum DatabaseRecovery {
    /// Returns a writer on the new file; `old` is done with afterwards.
    static func recreate(from old: StoreWriter, files: DatabaseFiles, at time: Double) throws -> StoreWriter {
        let path = files.path
        try FileSystem.createParentDirectory(of: path)
        let copy = path + ".recovering"
        for file in DatabaseFiles.paths(copy) + [copy + "-journal"] { try FileSystem.remove(file) }
        try FileDescriptor.open(copy, .createNew(mode: 0o640)).release()  // empty: nothing to flush
        try old.backup(to: copy)
        // What is at the path now: ours (the WAL files of the file we hold) goes; anything else
        // is kept for the operator next to it.
        let aside = path + ".replaced-\(Int64(time.isFinite ? time : 0))"
        for (file, suffix) in zip(DatabaseFiles.paths(path), ["", "-wal", "-shm"]) {
            guard try FileSystem.status(of: file) != nil else { continue }
            if files.isOurs(file) {
                try FileSystem.remove(file)
            } else {
                try FileSystem.rename(file, to: aside + suffix)
            }
        }
        try FileSystem.rename(copy, to: path)
        // Closing the old connection must not delete the new file's WAL by its name.
        try old.keepWALFilesOnClose()
        return try StoreWriter(path: path, checkpointsInBackground: true)
    }
}
