import ArgumentParser
import FleetCore
import Foundation
import Glibc

/// Sends one request to the daemon's control socket and returns its answer. Changing commands go
/// through here: the daemon is the only writer of the database.
struct ControlClient {
    let path: String

    /// Returns the daemon's message on success; throws CLIFailure with its error otherwise.
    func send(_ pairs: [(String, JSONText.Value)]) throws -> String {
        let fd = UnixSocketPath.connect(path)
        guard fd >= 0 else {
            throw CLIFailure("fleetwatchd is not running or not reachable (\(path): \(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array((JSONText.object(pairs) + "\n").utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
            throw CLIFailure("could not send the request to fleetwatchd")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response)) as? [String: Any] else {
            throw CLIFailure("fleetwatchd gave no answer (it may be stopping; try again)")
        }
        if object["ok"] as? Bool == true { return object["message"] as? String ?? "ok" }
        throw CLIFailure(object["error"] as? String ?? "fleetwatchd refused the request")
    }
}

/// What every changing command shares: the config (for the socket path) and `--by`.
struct ActionOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions
    @Option(name: .long, help: "Who does it (recorded in the incident's timeline).") var by: String

    func validate() throws {
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by must name who does it") }
    }

    func client() throws -> ControlClient { ControlClient(path: try config.load().control.socket) }
}
