import Glibc

/// The few path operations the daemon needs, each checked.
public enum FileSystem {
    public enum FileType: Sendable, Equatable {
        case socket
        case directory
        case other
    }

    /// What `path` itself is (a symbolic link is not followed); nil when nothing is there.
    public static func type(of path: String) throws(SystemCallError) -> FileType? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SystemCallError("lstat \(path)", errno: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFSOCK: return .socket
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// What `stat` says about the file at `path` (links followed); nil when nothing is there.
    public static func status(of path: String) throws(SystemCallError) -> FileDescriptor.Status? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw SystemCallError("stat \(path)", errno: code)
        }
        return FileDescriptor.Status(info)
    }

    /// Moves `from` to `to` in one step, replacing what is at `to`.
    public static func rename(_ from: String, to: String) throws(SystemCallError) {
        try check(Glibc.rename(from, to), "rename \(from) to \(to)")
    }

    /// Removes a file; one that is already gone is not an error.
    public static func remove(_ path: String) throws(SystemCallError) {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw SystemCallError("unlink \(path)", errno: code)
        }
    }

    public static func setPermissions(_ path: String, _ mode: mode_t) throws(SystemCallError) {
        try check(chmod(path, mode), "chmod \(path)")
    }

    /// `mkdir -p` of the directory that holds `path` (mode 0755 for what it creates).
    public static func createParentDirectory(of path: String) throws(SystemCallError) {
        var directory = path
        while let last = directory.last, last != "/" { directory.removeLast() }
        while directory.count > 1, directory.last == "/" { directory.removeLast() }
        guard !directory.isEmpty, directory != "/" else { return }
        try createDirectories(directory)
    }

    static func createDirectories(_ directory: String) throws(SystemCallError) {
        if try type(of: directory) == .directory { return }
        var parent = directory
        while let last = parent.last, last != "/" { parent.removeLast() }
        while parent.count > 1, parent.last == "/" { parent.removeLast() }
        if !parent.isEmpty && parent != "/" { try createDirectories(parent) }
        guard mkdir(directory, 0o755) == 0 else {
            let code = errno
            if code == EEXIST, try type(of: directory) == .directory { return }  // made meanwhile
            throw SystemCallError("mkdir \(directory)", errno: code)
        }
    }
}
