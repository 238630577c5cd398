import Foundation
import Postgres

/// A private PostgreSQL 15 cluster for tests: initdb in a temp directory as the `postgres`
/// user, a server on a free 127.0.0.1 port with its socket in that directory, started through
/// `setpriv --pdeathsig KILL` so it dies with the test process even if teardown never runs.
/// Shared by the libpq tests, the store tests and the end-to-end tests (one cluster per test
/// class; each test a database of its own: `createDatabase`).
public final class PostgresServer {
    public static let binaries = "/usr/lib/postgresql/15/bin"

    public let directory: String
    public let port: Int
    private var process: Process?

    public var url: String { url(database: "postgres") }

    public func url(database: String) -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)" }

    /// A new, empty database (from template0, so nothing a test left in template1 leaks in);
    /// returns its URL. A name already taken is dropped first.
    @discardableResult
    public func createDatabase(_ name: String) throws -> String {
        let admin = try PostgresConnection(url: url)
        try admin.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        try admin.execute("CREATE DATABASE \"\(name)\" TEMPLATE template0")
        return url(database: name)
    }

    public init() throws {
        directory = try Self.makeDirectory()
        port = try Self.freePort()
        let data = directory + "/data"
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", Self.binaries + "/initdb", "-D", data, "-A", "trust",
                "-U", "postgres", "--no-sync",
            ])
        try start()
    }

    public func start() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        server.arguments = [
            "--reuid", "postgres", "--regid", "postgres", "--init-groups", "--pdeathsig", "KILL",
            Self.binaries + "/postgres", "-D", directory + "/data", "-p", String(port),
            "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        ]
        let log = FileHandle(forWritingAtPath: directory + "/server.log") ?? FileHandle.nullDevice
        server.standardOutput = log
        server.standardError = log
        try server.run()
        process = server
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            // Accepting TCP is not enough: after a crash it recovers before it accepts logins.
            if Self.canConnect(port: port), (try? PostgresConnection(url: url, connectTimeout: 2)) != nil { return }
            guard server.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NSError(
            domain: "PostgresServer", code: 1,
            userInfo: [
                NSLocalizedDescriptionKey: "postgres did not start: "
                    + ((try? String(
                        contentsOfFile: directory + "/server.log",
                        encoding: .utf8)) ?? "")
            ])
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// SIGKILL, as a crash or a power cut would: no clean shutdown, clients see a dead socket.
    public func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
        // The orphaned backends notice the postmaster died and exit; wait until the port is free.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && Self.canConnect(port: port) { Thread.sleep(forTimeInterval: 0.05) }
    }

    public func stop() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGINT)  // fast shutdown
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: helpers

    private static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "fwpg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: true)
        // The postgres user must reach the socket directory and own the data directory.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        try run("/usr/bin/chown", ["postgres:postgres", path + "/data"])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path + "/data")
        return path
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(
                domain: "PostgresServer", code: Int(p.terminationStatus),
                userInfo: [
                    NSLocalizedDescriptionKey: "\(executable) failed: \(String(decoding: output, as: UTF8.self))"
                ])
        }
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw NSError(domain: "PostgresServer", code: 2) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
