import Foundation

/// A channel's signing secret, read from its `secret_file`: the bytes of the file without one
/// trailing newline (`\n` or `\r\n`), as editors and `echo` leave it. Shared by `--check-config`
/// and the daemon so both agree on what the secret is.
public enum NotifySecret {
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ path: String) throws(Unreadable) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable(description: "\(path) is missing or not readable")
        }
        let secret = strip(Array(data))
        guard !secret.isEmpty else { throw Unreadable(description: "\(path) holds no secret (empty)") }
        return secret
    }

    static func strip(_ bytes: [UInt8]) -> [UInt8] {
        var secret = bytes
        if secret.last == UInt8(ascii: "\n") { secret.removeLast() }
        if secret.last == UInt8(ascii: "\r") { secret.removeLast() }
        return secret
    }
}
