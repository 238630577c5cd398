import Foundation

/// `metrics.bearer_token_file`: the token the HTTP endpoint asks for (SPEC §16). Read by the
/// daemon at start and on SIGHUP, and checked by `--check-config`, through this one reading.
public enum BearerTokenFile {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The token: the file's bytes without one trailing newline (LF or CR LF). Not empty, and
    /// without spaces or control characters (it goes into an HTTP header field as it is).
    public static func read(_ path: String) throws(Problem) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else { throw Problem(description: "names \(path), which is missing or not readable") }
        var token = [UInt8](data)
        if token.last == UInt8(ascii: "\n") { token.removeLast() }
        if token.last == UInt8(ascii: "\r") { token.removeLast() }
        guard !token.isEmpty else { throw Problem(description: "names \(path), which holds no token (it is empty)") }
        guard token.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw Problem(description: "names \(path), whose token has spaces, line breaks or control characters")
        }
        return token
    }
}
