import Glibc

/// The machine's name (`gethostname`): an HA node's name when `[ha] node` is not set.
public enum HostName {
    public static func current() throws(SystemCallError) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        try check(gethostname(&buffer, buffer.count - 1), "gethostname")
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
