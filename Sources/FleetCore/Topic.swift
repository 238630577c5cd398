/// What a topic names: one device's heartbeat or status channel.
public struct DeviceTopic: Sendable, Equatable {
    public enum Channel: Sendable, Equatable { case heartbeat, status }
    public var site: String
    public var kind: String
    public var device: String
    public var channel: Channel
}

/// A `DeviceTopic` still in the message's bytes: valid only while the message is. The hot path
/// looks devices up by these bytes and builds strings only for a device it does not know.
package struct RawDeviceTopic {
    package var site: UnsafeBufferPointer<UInt8>
    package var kind: UnsafeBufferPointer<UInt8>
    package var device: UnsafeBufferPointer<UInt8>
    package var channel: DeviceTopic.Channel

    package var strings: DeviceTopic {
        DeviceTopic(
            site: String(decoding: site, as: UTF8.self), kind: String(decoding: kind, as: UTF8.self),
            device: String(decoding: device, as: UTF8.self), channel: channel)
    }
}

/// Parses `PREFIX/SITE/KIND/DEVICE/(heartbeat|status)` straight from the bytes libmosquitto hands
/// over, without building intermediate strings (see Benchmarks: ingest).
public struct TopicParser: Sendable {
    public let prefix: [UInt8]
    /// Where the topics under the prefix that are ours, not a device's, begin: `PREFIX/$fleetwatch/`
    /// (`state`, and each HA node's `nodes/NODE`, SPEC §15). No site is called `$fleetwatch`.
    public let ownTopic: [UInt8]

    public init(prefix: String) {
        self.prefix = Array(prefix.utf8)
        self.ownTopic = Array("\(prefix)/$fleetwatch/".utf8)
    }

    public func isOwnTopic(_ topic: UnsafeBufferPointer<UInt8>) -> Bool {
        topic.count > ownTopic.count
            && ownTopic.withUnsafeBufferPointer {
                String.bytesEqual(UnsafeBufferPointer(rebasing: topic[..<$0.count]), $0)
            }
    }

    public func parse(_ topic: UnsafeBufferPointer<UInt8>) -> Result<DeviceTopic, Rejection> {
        parseRaw(topic).map(\.strings)
    }

    package func parseRaw(_ topic: UnsafeBufferPointer<UInt8>) -> Result<RawDeviceTopic, Rejection> {
        let n = prefix.count
        guard topic.count > n + 1, topic[n] == UInt8(ascii: "/"),
            prefix.withUnsafeBufferPointer({ String.bytesEqual(UnsafeBufferPointer(rebasing: topic[..<n]), $0) })
        else {
            return .failure(Rejection(.badTopic, "topic outside prefix"))
        }
        // One pass over the four segments after the prefix: where the three inner '/' are, and
        // whether the first three hold only identifier bytes (no allocation per message).
        var bounds = (0, 0, 0)
        var slashes = 0
        var identifierBytesOnly = true
        for i in (n + 1)..<topic.count {
            let b = topic[i]
            if b == UInt8(ascii: "/") {
                switch slashes {
                case 0: bounds.0 = i
                case 1: bounds.1 = i
                case 2: bounds.2 = i
                default: return .failure(Rejection(.badTopic, "expected PREFIX/SITE/KIND/DEVICE/CHANNEL"))
                }
                slashes += 1
            } else if slashes < 3 && !Self.isIdentifierByte(b) {
                identifierBytesOnly = false
            }
        }
        guard slashes == 3 else {
            return .failure(Rejection(.badTopic, "expected PREFIX/SITE/KIND/DEVICE/CHANNEL"))
        }
        let site = (n + 1)..<bounds.0
        let kind = (bounds.0 + 1)..<bounds.1
        let device = (bounds.1 + 1)..<bounds.2
        let channelBytes = UnsafeBufferPointer(rebasing: topic[(bounds.2 + 1)...])
        let channel: DeviceTopic.Channel
        if String.bytesEqual(channelBytes, Self.bytes(of: "heartbeat")) {
            channel = .heartbeat
        } else if String.bytesEqual(channelBytes, Self.bytes(of: "status")) {
            channel = .status
        } else {
            return .failure(Rejection(.badTopic, "channel must be heartbeat or status"))
        }
        guard identifierBytesOnly, (1...64).contains(site.count), (1...64).contains(kind.count),
            (1...64).contains(device.count)
        else {
            return .failure(Rejection(.badTopic, "site, kind and device must match [A-Za-z0-9_-]{1,64}"))
        }
        return .success(
            RawDeviceTopic(
                site: UnsafeBufferPointer(rebasing: topic[site]),
                kind: UnsafeBufferPointer(rebasing: topic[kind]),
                device: UnsafeBufferPointer(rebasing: topic[device]), channel: channel))
    }

    @inline(__always)
    private static func bytes(of literal: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    @inline(__always)
    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// `[A-Za-z0-9_-]{1,64}`; kind names are checked the same way here and against the config later.
    public static func isValidIdentifier<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy(isIdentifierByte)
    }

    public static func isValidIdentifier(_ s: String) -> Bool { isValidIdentifier(Array(s.utf8)) }
}
