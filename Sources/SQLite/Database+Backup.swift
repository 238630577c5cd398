import CSQLite

extension Database {
    /// Copies the whole database, as this connection sees it (its write-ahead log included),
    /// into the database file at `path` with SQLite's online backup API. What `path` held is
    /// replaced. Works when this connection's own file has been deleted meanwhile: the copy is
    /// read through the descriptors it still holds.
    public func backup(to path: String) throws(SQLiteError) {
        let destination = try Database(path: path)
        // sqlite3_backup_init: "If an error occurs … NULL is returned and an error code and
        // message are stored in the destination database connection".
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(
                code: sqlite3_errcode(destination.handle), message: destination.lastErrorMessage,
                context: "backup to \(path)")
        }
        let stepped = sqlite3_backup_step(backup, -1)  // every page in one step
        // sqlite3_backup_finish releases the backup object whatever happened and returns the
        // error of the steps, if any.
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            let code = stepped == SQLITE_DONE ? finished : stepped
            throw SQLiteError(code: code, message: destination.lastErrorMessage, context: "backup to \(path)")
        }
    }
}

extension Database {
    /// Closing this connection will leave the `-wal` and `-shm` files where they are
    /// (SQLITE_FCNTL_PERSIST_WAL). SQLite removes them by name when the last connection closes:
    /// for a connection to a database file that was deleted and made again at the same path,
    /// those names are the new database's files by then.
    public func keepWALFilesOnClose() throws(SQLiteError) {
        var persist: Int32 = 1
        try check(sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist), "file_control PERSIST_WAL")
    }
}
