/// Decodes a heartbeat payload: a JSON object whose known fields must have the types SPEC §3
/// gives; unknown fields are validated as JSON and skipped; `null` counts as absent.
public struct HeartbeatDecoder: Sendable {
    public init() {}

    public func decode(_ payload: UnsafeRawBufferPointer) -> Result<Heartbeat, Rejection> {
        var scanner = JSONScanner(payload)
        do {
            let beat = try decodeObject(&scanner)
            scanner.skipWhitespace()
            guard scanner.isAtEnd else { return .failure(Rejection(.badJSON, "trailing bytes after the object")) }
            return .success(beat)
        } catch let failure as JSONScanner.Failure {
            return .failure(Rejection(.badJSON, failure.message))
        } catch let rejection as Rejection {
            return .failure(rejection)
        } catch {
            return .failure(Rejection(.badJSON, "\(error)"))
        }
    }

    public func decode(_ bytes: [UInt8]) -> Result<Heartbeat, Rejection> {
        bytes.withUnsafeBytes { decode($0) }
    }

    private func decodeObject(_ s: inout JSONScanner) throws -> Heartbeat {
        guard try s.peek() == UInt8(ascii: "{") else { throw Rejection(.badJSON, "payload must be a JSON object") }
        try s.expect(UInt8(ascii: "{"))
        var beat = Heartbeat()
        if try s.consume(UInt8(ascii: "}")) { return beat }
        // A wrong type is only `bad_field` if the payload is valid JSON after all: remember the
        // first one, step over the value, and keep validating.
        var fieldError: Rejection?
        repeat {
            let key = try s.readRawString()
            try s.expect(UInt8(ascii: ":"))
            if try s.peek() == UInt8(ascii: "n") {  // null: treated as absent, whatever the field
                try s.readLiteral("null")
                continue
            }
            let valueStart = s
            do {
                try readField(key, into: &beat, &s)
            } catch let rejection as Rejection where rejection.reason == .badField {
                s = valueStart
                try s.skipValue(depth: 1)
                fieldError = fieldError ?? rejection
            }
        } while try s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "}"))
        s.skipWhitespace()
        if let fieldError, s.isAtEnd { throw fieldError }
        return beat
    }

    /// The fields SPEC §3 names.
    private enum Field: CaseIterable {
        case timestamp, seq, interval, health, errors, metrics, firmware, uptime

        var key: StaticString {
            switch self {
            case .timestamp: "ts"
            case .seq: "seq"
            case .interval: "interval_s"
            case .health: "health"
            case .errors: "errors"
            case .metrics: "metrics"
            case .firmware: "fw"
            case .uptime: "uptime_s"
            }
        }

        /// Found by the key's length first: one comparison of bytes, not one per field in turn.
        @inline(__always)
        static func named(_ key: JSONScanner.RawString, in s: JSONScanner) -> Field? {
            if key.hasEscapes { return allCases.first { s.tokenEquals(key, $0.key) } }
            let candidates: (Field, Field?)
            switch key.range.count {
            case 2: candidates = (.timestamp, .firmware)
            case 3: candidates = (.seq, nil)
            case 6: candidates = (.health, .errors)
            case 7: candidates = (.metrics, nil)
            case 8: candidates = (.uptime, nil)
            case 10: candidates = (.interval, nil)
            default: return nil
            }
            if s.rawEquals(key, candidates.0.key) { return candidates.0 }
            if let other = candidates.1, s.rawEquals(key, other.key) { return other }
            return nil
        }
    }

    private func readField(_ key: JSONScanner.RawString, into beat: inout Heartbeat, _ s: inout JSONScanner) throws {
        switch Field.named(key, in: s) {
        case .timestamp:
            beat.timestamp = try readTimestamp(&s)
        case .seq:
            guard let n = try readNumber(&s, field: "seq").integer, n >= 0 else {
                throw Rejection(.badField, "seq must be an integer >= 0")
            }
            beat.seq = n
        case .interval:
            let n = try readNumber(&s, field: "interval_s").value
            guard Heartbeat.intervalRange.contains(n) else {
                throw Rejection(.badField, "interval_s must be 0.1-86400 seconds, like kinds.KIND.interval_s")
            }
            beat.intervalSeconds = n
        case .health:
            beat.health = try readHealth(&s)
        case .errors:
            beat.errors = try readErrors(&s)
        case .metrics:
            beat.metrics = try readMetrics(&s)
        case .firmware:
            beat.firmware = try readString(&s, field: "fw")
        case .uptime:
            let n = try readNumber(&s, field: "uptime_s").value
            guard n >= 0 else { throw Rejection(.badField, "uptime_s must be >= 0") }
            beat.uptimeSeconds = n
        case nil:
            try s.skipValue(depth: 1)
        }
    }

    private func readNumber(_ s: inout JSONScanner, field: String) throws -> JSONScanner.Number {
        let b = try s.peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw Rejection(.badField, "\(field) must be a number")
        }
        return try s.readNumber()
    }

    private func readString(_ s: inout JSONScanner, field: String) throws -> String {
        guard try s.peek() == UInt8(ascii: "\"") else { throw Rejection(.badField, "\(field) must be a string") }
        return try s.readString()
    }

    /// Compared in the payload's bytes: no `String` for a field every heartbeat carries.
    private func readHealth(_ s: inout JSONScanner) throws -> Heartbeat.Health {
        guard try s.peek() == UInt8(ascii: "\"") else { throw Rejection(.badField, "health must be a string") }
        let raw = try s.readRawString()
        if raw.hasEscapes { _ = try s.string(raw) }  // a broken escape is bad JSON, not a bad value
        if s.tokenEquals(raw, "ok") { return .ok }
        if s.tokenEquals(raw, "degraded") { return .degraded }
        if s.tokenEquals(raw, "fault") { return .fault }
        throw Rejection(.badField, "health must be ok, degraded or fault")
    }

    private func readTimestamp(_ s: inout JSONScanner) throws -> Double {
        if try s.peek() == UInt8(ascii: "\"") {
            let text = try s.readString()
            guard let t = RFC3339.parse(text) else { throw Rejection(.badField, "ts is not an RFC 3339 time") }
            return t
        }
        let n = try readNumber(&s, field: "ts").value
        guard n >= 0 else { throw Rejection(.badField, "ts must be >= 0") }
        // Seconds until the year 5138; anything larger is milliseconds.
        return n >= 1e11 ? n / 1000 : n
    }

    private func readErrors(_ s: inout JSONScanner) throws -> [String] {
        guard try s.peek() == UInt8(ascii: "[") else { throw Rejection(.badField, "errors must be an array") }
        try s.expect(UInt8(ascii: "["))
        var errors: [String] = []
        if try s.consume(UInt8(ascii: "]")) { return errors }
        repeat { errors.append(try readString(&s, field: "errors[]")) } while try s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "]"))
        return errors
    }

    private func readMetrics(_ s: inout JSONScanner) throws -> [Metric] {
        guard try s.peek() == UInt8(ascii: "{") else { throw Rejection(.badField, "metrics must be an object") }
        try s.expect(UInt8(ascii: "{"))
        var metrics: [Metric] = []
        metrics.reserveCapacity(8)  // one allocation for a typical payload, not four (Benchmarks: ingest)
        if try s.consume(UInt8(ascii: "}")) { return metrics }
        repeat {
            let name = try s.readString()
            try s.expect(UInt8(ascii: ":"))
            let value: MetricValue
            switch try s.peek() {
            case UInt8(ascii: "\""): value = .string(try s.readString())
            case UInt8(ascii: "t"):
                try s.readLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try s.readLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = .number(try s.readNumber().value)
            default: throw Rejection(.badField, "metrics values must be numbers, booleans or strings")
            }
            metrics.append(Metric(name: name, value: value))
        } while try s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "}"))
        return metrics
    }
}
