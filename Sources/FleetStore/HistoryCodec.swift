/// The bytes of history blobs (issue 15). A sample's metrics are one blob, not one row each: a
/// row costs ~12 bytes of keys and headers, a value here 2–4 bytes.
///
/// A value is a header varint `(metric id << 3) | tag` and a payload: tags 0–3 are a zigzag
/// varint of `value × 10^tag` (exact for readings like `87`, `36.5`, `41.25`), tag 4 a raw
/// little-endian Float64. An hourly rollup is, per metric: the metric id and count as varints,
/// then min, max and avg as `tag, payload` each.
public enum HistoryCodec {
    static let float64Tag: UInt8 = 4

    // MARK: samples

    public static func encodeSample(_ values: [(metric: Int64, value: Double)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 4)
        for (metric, value) in values {
            let (tag, payload) = scaled(value)
            appendVarint(UInt64(metric) << 3 | UInt64(tag), to: &out)
            appendPayload(tag, payload, value, to: &out)
        }
        return out
    }

    /// Nil for bytes this codec did not write.
    public static func decodeSample(_ bytes: [UInt8]) -> [(metric: Int64, value: Double)]? {
        var reader = Reader(bytes: bytes)
        var out: [(Int64, Double)] = []
        while !reader.atEnd {
            guard let header = reader.varint(), let value = reader.value(tag: UInt8(header & 7)) else { return nil }
            out.append((Int64(header >> 3), value))
        }
        return out
    }

    // MARK: hourly rollups

    public struct Aggregate: Sendable, Equatable {
        public var min: Double
        public var max: Double
        public var sum: Double
        public var count: Int

        public init(_ value: Double) {
            min = value
            max = value
            sum = value
            count = 1
        }

        public init(min: Double, max: Double, sum: Double, count: Int) {
            self.min = min
            self.max = max
            self.sum = sum
            self.count = count
        }

        public mutating func add(_ value: Double) {
            min = Swift.min(min, value)
            max = Swift.max(max, value)
            sum += value
            count += 1
        }

        public var average: Double { count > 0 ? sum / Double(count) : 0 }
    }

    public static func encodeHour(_ metrics: [(metric: Int64, aggregate: Aggregate)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(metrics.count * 16)
        for (metric, a) in metrics {
            appendVarint(UInt64(metric), to: &out)
            appendVarint(UInt64(a.count), to: &out)
            for value in [a.min, a.max, a.average] {
                let (tag, payload) = scaled(value)
                out.append(tag)
                appendPayload(tag, payload, value, to: &out)
            }
        }
        return out
    }

    public static func decodeHour(_ bytes: [UInt8]) -> [(metric: Int64, aggregate: Aggregate)]? {
        var reader = Reader(bytes: bytes)
        var out: [(Int64, Aggregate)] = []
        while !reader.atEnd {
            guard let metric = reader.varint(), let count = reader.varint(), count > 0,
                let minTag = reader.byte(), let min = reader.value(tag: minTag),
                let maxTag = reader.byte(), let max = reader.value(tag: maxTag),
                let avgTag = reader.byte(), let avg = reader.value(tag: avgTag)
            else { return nil }
            out.append((Int64(metric), Aggregate(min: min, max: max, sum: avg * Double(count), count: Int(count))))
        }
        return out
    }

    // MARK: parts

    /// The smallest decimal scale that holds `value` exactly, and the scaled integer.
    static func scaled(_ value: Double) -> (UInt8, Int64) {
        var factor = 1.0
        for tag in UInt8(0)...3 {
            let scaled = (value * factor).rounded()
            if abs(scaled) < 9e15 && scaled / factor == value { return (tag, Int64(scaled)) }
            factor *= 10
        }
        return (float64Tag, 0)
    }

    static func appendPayload(_ tag: UInt8, _ scaled: Int64, _ value: Double, to out: inout [UInt8]) {
        if tag == float64Tag {
            var bits = value.bitPattern
            for _ in 0..<8 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        } else {
            appendVarint(UInt64(bitPattern: (scaled << 1) ^ (scaled >> 63)), to: &out)
        }
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position >= bytes.count }

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let b = byte() {
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }

        mutating func value(tag: UInt8) -> Double? {
            if tag == HistoryCodec.float64Tag {
                guard position + 8 <= bytes.count else { return nil }
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
                position += 8
                return Double(bitPattern: bits)
            }
            guard tag < HistoryCodec.float64Tag, let zigzag = varint() else { return nil }
            let scaled = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            var factor = 1.0
            for _ in 0..<tag { factor *= 10 }
            return Double(scaled) / factor
        }
    }
}
