import XCTest

@testable import FleetCore

final class HeartbeatDecoderTests: XCTestCase {
    private enum Outcome {
        case decodes(Heartbeat)
        case rejected(RejectReason)
    }

    private struct Case {
        let name: String
        let payload: [UInt8]
        let outcome: Outcome
        let line: UInt

        init(_ name: String, _ json: String, _ outcome: Outcome, line: UInt = #line) {
            self.name = name
            self.payload = Array(json.utf8)
            self.outcome = outcome
            self.line = line
        }

        init(_ name: String, bytes: [UInt8], _ outcome: Outcome, line: UInt = #line) {
            self.name = name
            self.payload = bytes
            self.outcome = outcome
            self.line = line
        }
    }

    private static func beat(
        ts: Double? = nil, seq: Int64? = nil, interval: Double? = nil,
        health: Heartbeat.Health? = nil, errors: [String] = [], metrics: [Metric] = [],
        fw: String? = nil, uptime: Double? = nil
    ) -> Heartbeat {
        var b = Heartbeat()
        b.timestamp = ts
        b.seq = seq
        b.intervalSeconds = interval
        b.health = health
        b.errors = errors
        b.metrics = metrics
        b.firmware = fw
        b.uptimeSeconds = uptime
        return b
    }

    /// 2026-11-26T21:30:04+08:00
    private static let t0 = 1_795_699_804.0

    private static let cases: [Case] = [
        // Shapes that decode.
        Case("empty object", "{}", .decodes(beat())),
        Case("empty object with whitespace inside", "{ \n\t }", .decodes(beat())),
        Case(
            "all fields",
            """
            {"ts":"2026-11-26T21:30:04Z","seq":42,"interval_s":10,"health":"degraded",
             "errors":["E_MOTOR_STALL","E_LOW_BATT"],"metrics":{"battery_pct":14,"camera_ok":true,"mode":"auto"},
             "fw":"2.4.1","uptime_s":86400.5}
            """,
            .decodes(
                beat(
                    ts: t0 + 8 * 3600, seq: 42, interval: 10, health: .degraded,
                    errors: ["E_MOTOR_STALL", "E_LOW_BATT"],
                    metrics: [
                        Metric(name: "battery_pct", value: .number(14)),
                        Metric(name: "camera_ok", value: .bool(true)),
                        Metric(name: "mode", value: .string("auto")),
                    ],
                    fw: "2.4.1", uptime: 86400.5))),
        Case("leading and trailing whitespace", " \r\n\t{\"seq\":1} \n", .decodes(beat(seq: 1))),
        Case("ts RFC 3339 with Z", #"{"ts":"2026-11-26T13:30:04Z"}"#, .decodes(beat(ts: t0))),
        Case(
            "ts RFC 3339 with offset and fraction", #"{"ts":"2026-11-26T21:30:04.120+08:00"}"#,
            .decodes(beat(ts: t0 + 0.12))),
        Case("ts RFC 3339 with negative offset", #"{"ts":"2026-11-26T08:30:04-05:00"}"#, .decodes(beat(ts: t0))),
        Case("ts Unix seconds", #"{"ts":1795699804}"#, .decodes(beat(ts: t0))),
        Case("ts Unix seconds with fraction", #"{"ts":1795699804.5}"#, .decodes(beat(ts: t0 + 0.5))),
        Case("ts Unix milliseconds", #"{"ts":1795699804120}"#, .decodes(beat(ts: t0 + 0.12))),
        Case("ts zero is the epoch", #"{"ts":0}"#, .decodes(beat(ts: 0))),
        Case("ts just below 1e11 is still seconds", #"{"ts":99999999999}"#, .decodes(beat(ts: 99_999_999_999))),
        Case("ts from 1e11 up is milliseconds", #"{"ts":100000000000}"#, .decodes(beat(ts: 100_000_000))),
        Case("ts milliseconds with exponent", #"{"ts":1.795699804e12}"#, .decodes(beat(ts: t0))),
        Case("seq zero", #"{"seq":0}"#, .decodes(beat(seq: 0))),
        Case("seq 18 digits", #"{"seq":999999999999999999}"#, .decodes(beat(seq: 999_999_999_999_999_999))),
        Case("uptime_s zero, just booted", #"{"uptime_s":0}"#, .decodes(beat(uptime: 0))),
        Case("uptime_s whole seconds", #"{"seq":3,"uptime_s":3600}"#, .decodes(beat(seq: 3, uptime: 3600))),
        Case("uptime_s with exponent", #"{"uptime_s":1.5e3}"#, .decodes(beat(uptime: 1500))),
        Case("interval_s fraction", #"{"interval_s":0.25}"#, .decodes(beat(interval: 0.25))),
        Case("health ok", #"{"health":"ok"}"#, .decodes(beat(health: .ok))),
        Case("health fault", #"{"health":"fault"}"#, .decodes(beat(health: .fault))),
        Case("health written with escapes", #"{"health":"\u006fk"}"#, .decodes(beat(health: .ok))),
        Case("errors empty array", #"{"errors":[]}"#, .decodes(beat())),
        Case("metrics empty object", #"{"metrics":{}}"#, .decodes(beat())),
        Case(
            "metrics exponent numbers", #"{"metrics":{"a":1e3,"b":-2.5E-1,"c":6.02e+23,"d":-0}}"#,
            .decodes(
                beat(metrics: [
                    Metric(name: "a", value: .number(1000)), Metric(name: "b", value: .number(-0.25)),
                    Metric(name: "c", value: .number(6.02e23)), Metric(name: "d", value: .number(0)),
                ]))),
        Case(
            "metrics bool false and string with escapes", #"{"metrics":{"door\u005fok":false,"s":"a\"b"}}"#,
            .decodes(
                beat(metrics: [
                    Metric(name: "door_ok", value: .bool(false)),
                    Metric(name: "s", value: .string("a\"b")),
                ]))),
        Case(
            "unknown fields with nested arrays and objects are skipped",
            #"{"extra":[[1,2],{"a":[null,true,false,"x",-1.5e2]}],"seq":3,"more":{"k":{}},"z":null}"#,
            .decodes(beat(seq: 3))),
        Case(
            "null fields are absent",
            #"{"ts":null,"seq":null,"interval_s":null,"health":null,"errors":null,"metrics":null,"fw":null,"#
                + #""uptime_s":null}"#,
            .decodes(beat())),
        Case("escape \\u00e9", #"{"fw":"caf\u00e9"}"#, .decodes(beat(fw: "café"))),
        Case("raw UTF-8 is kept", #"{"fw":"天山"}"#, .decodes(beat(fw: "天山"))),
        Case("surrogate pair", #"{"fw":"\ud83d\ude00"}"#, .decodes(beat(fw: "😀"))),
        Case("simple escapes", #"{"fw":"a\/b\\c\n\t\r\b\f"}"#, .decodes(beat(fw: "a/b\\c\n\t\r\u{8}\u{C}"))),
        Case(
            "nesting of 32 levels in all is accepted",
            "{\"x\":" + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}",
            .decodes(beat())),
        Case("later duplicate key wins", #"{"seq":1,"seq":2}"#, .decodes(beat(seq: 2))),

        // Not JSON, or not an object: bad_json.
        Case("empty payload", "", .rejected(.badJSON)),
        Case("only whitespace", "  \n", .rejected(.badJSON)),
        Case("top-level array", "[]", .rejected(.badJSON)),
        Case("top-level string", #""hello""#, .rejected(.badJSON)),
        Case("top-level number", "42", .rejected(.badJSON)),
        Case("unterminated object", #"{"seq":1"#, .rejected(.badJSON)),
        Case("trailing garbage", #"{"seq":1}x"#, .rejected(.badJSON)),
        Case("two objects", #"{}{}"#, .rejected(.badJSON)),
        Case("trailing comma", #"{"seq":1,}"#, .rejected(.badJSON)),
        Case("trailing comma in unknown array", #"{"x":[1,]}"#, .rejected(.badJSON)),
        Case("missing colon", #"{"seq" 1}"#, .rejected(.badJSON)),
        Case("unquoted key", #"{seq:1}"#, .rejected(.badJSON)),
        Case("single-quoted string", #"{'seq':1}"#, .rejected(.badJSON)),
        Case("leading zero", #"{"seq":01}"#, .rejected(.badJSON)),
        Case("number ending in a dot", #"{"seq":1.}"#, .rejected(.badJSON)),
        Case("lone minus", #"{"seq":-}"#, .rejected(.badJSON)),
        Case("exponent without digits", #"{"metrics":{"a":1e}}"#, .rejected(.badJSON)),
        Case("leading plus", #"{"x":+1}"#, .rejected(.badJSON)),
        Case("leading dot", #"{"x":.5}"#, .rejected(.badJSON)),
        Case("NaN is not JSON", #"{"x":NaN}"#, .rejected(.badJSON)),
        Case("number out of range", #"{"metrics":{"a":1e999}}"#, .rejected(.badJSON)),
        Case("misspelt literal", #"{"x":tru}"#, .rejected(.badJSON)),
        Case("misspelt null in a known field", #"{"seq":nul}"#, .rejected(.badJSON)),
        Case("unpaired high surrogate", #"{"fw":"\ud83d"}"#, .rejected(.badJSON)),
        Case("high surrogate followed by a non-surrogate", #"{"fw":"\ud83d\u0041"}"#, .rejected(.badJSON)),
        Case("unpaired low surrogate", #"{"fw":"\ude00x"}"#, .rejected(.badJSON)),
        Case("short \\u escape", #"{"fw":"\u12"}"#, .rejected(.badJSON)),
        Case("non-hex \\u escape", #"{"fw":"\u12G4"}"#, .rejected(.badJSON)),
        Case("unknown escape", #"{"fw":"\x41"}"#, .rejected(.badJSON)),
        Case(
            "invalid UTF-8 byte in a string", bytes: Array(#"{"fw":""#.utf8) + [0xFF] + Array(#""}"#.utf8),
            .rejected(.badJSON)),
        Case(
            "overlong UTF-8 encoding in a key", bytes: Array(#"{""#.utf8) + [0xC0, 0xAF] + Array(#"":1}"#.utf8),
            .rejected(.badJSON)),
        Case(
            "truncated UTF-8 sequence", bytes: Array(#"{"fw":"a"#.utf8) + [0xE5, 0xA4] + Array(#""}"#.utf8),
            .rejected(.badJSON)),
        Case("raw newline inside a string", "{\"fw\":\"a\nb\"}", .rejected(.badJSON)),
        Case("raw tab inside a string", "{\"fw\":\"a\tb\"}", .rejected(.badJSON)),
        Case(
            "NUL byte inside a string", bytes: Array(#"{"fw":"a"#.utf8) + [0x00] + Array(#""}"#.utf8),
            .rejected(.badJSON)),
        Case("unterminated string", #"{"fw":"abc"#, .rejected(.badJSON)),
        Case(
            "nesting of 33 levels is rejected",
            "{\"x\":" + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "}",
            .rejected(.badJSON)),
        Case(
            "deep nesting far beyond the limit is rejected",
            "{\"x\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}",
            .rejected(.badJSON)),
        Case("metric name not a string", #"{"metrics":{1:2}}"#, .rejected(.badJSON)),

        // JSON, but a known field has the wrong type or range: bad_field.
        Case("ts not RFC 3339", #"{"ts":"yesterday"}"#, .rejected(.badField)),
        Case("ts RFC 3339 without offset", #"{"ts":"2026-11-26T21:30:04"}"#, .rejected(.badField)),
        Case("ts negative", #"{"ts":-1}"#, .rejected(.badField)),
        Case("ts boolean", #"{"ts":true}"#, .rejected(.badField)),
        Case("seq negative", #"{"seq":-1}"#, .rejected(.badField)),
        Case("seq float", #"{"seq":1.5}"#, .rejected(.badField)),
        Case("seq with exponent", #"{"seq":1e2}"#, .rejected(.badField)),
        Case("seq huge", #"{"seq":99999999999999999999}"#, .rejected(.badField)),
        Case("seq string", #"{"seq":"1"}"#, .rejected(.badField)),
        Case("interval_s zero", #"{"interval_s":0}"#, .rejected(.badField)),
        Case("interval_s negative", #"{"interval_s":-10}"#, .rejected(.badField)),
        Case("interval_s string", #"{"interval_s":"10"}"#, .rejected(.badField)),
        Case("health invalid", #"{"health":"broken"}"#, .rejected(.badField)),
        Case("health wrong case", #"{"health":"OK"}"#, .rejected(.badField)),
        Case("health number", #"{"health":1}"#, .rejected(.badField)),
        Case("health with a lone surrogate escape", #"{"health":"\ud800"}"#, .rejected(.badJSON)),
        Case("errors not an array", #"{"errors":"E_MOTOR_STALL"}"#, .rejected(.badField)),
        Case("errors with a number", #"{"errors":["E1",2]}"#, .rejected(.badField)),
        Case("errors with null", #"{"errors":[null]}"#, .rejected(.badField)),
        Case("errors with an object", #"{"errors":[{"code":"E1"}]}"#, .rejected(.badField)),
        Case("metrics not an object", #"{"metrics":[1,2]}"#, .rejected(.badField)),
        Case("metrics with a nested object", #"{"metrics":{"temp":{"c":40}}}"#, .rejected(.badField)),
        Case("metrics with an array", #"{"metrics":{"temp":[40]}}"#, .rejected(.badField)),
        Case("metrics with null", #"{"metrics":{"temp":null}}"#, .rejected(.badField)),
        Case("fw not a string", #"{"fw":2.4}"#, .rejected(.badField)),
        Case("uptime_s negative", #"{"uptime_s":-1}"#, .rejected(.badField)),
        Case("uptime_s string", #"{"uptime_s":"3600"}"#, .rejected(.badField)),
        Case("uptime_s boolean", #"{"uptime_s":true}"#, .rejected(.badField)),
        Case("uptime_s object", #"{"uptime_s":{"s":1}}"#, .rejected(.badField)),
        Case("uptime_s with a broken number is bad JSON", #"{"uptime_s":1.}"#, .rejected(.badJSON)),
    ]

    /// Each case is reported by its name: two cases of one name would make a failure ambiguous.
    func testTableCaseNamesAreUnique() {
        var seen: [String: UInt] = [:]
        for c in Self.cases {
            if let first = seen.updateValue(c.line, forKey: c.name) {
                XCTFail("case \"\(c.name)\" appears twice (lines \(first) and \(c.line))", line: c.line)
            }
        }
    }

    func testEveryTableCase() {
        let decoder = HeartbeatDecoder()
        for c in Self.cases {
            let result = decoder.decode(c.payload)
            switch (c.outcome, result) {
            case (.decodes(let expected), .success(let beat)):
                assertSame(beat, expected, c)
            case (.decodes, .failure(let rejection)):
                XCTFail("\(c.name): rejected as \(rejection.reason.rawValue) (\(rejection.detail))", line: c.line)
            case (.rejected(let reason), .success(let beat)):
                XCTFail("\(c.name): expected \(reason.rawValue), decoded \(beat)", line: c.line)
            case (.rejected(let reason), .failure(let rejection)):
                XCTAssertEqual(rejection.reason, reason, "\(c.name): \(rejection.detail)", line: c.line)
                XCTAssertFalse(rejection.detail.isEmpty, c.name, line: c.line)
            }
        }
    }

    private func assertSame(_ actual: Heartbeat, _ expected: Heartbeat, _ c: Case) {
        switch (actual.timestamp, expected.timestamp) {
        case (nil, nil): break
        case (let a?, let e?): XCTAssertEqual(a, e, accuracy: 1e-6, "\(c.name): ts", line: c.line)
        default:
            XCTFail(
                "\(c.name): ts \(String(describing: actual.timestamp)) != \(String(describing: expected.timestamp))",
                line: c.line)
        }
        var a = actual
        var e = expected
        a.timestamp = nil
        e.timestamp = nil
        XCTAssertEqual(a, e, c.name, line: c.line)
    }

    func testRejectionDetailNeverQuotesThePayload() {
        let secret = "s3cr3t-token-value"
        let result = HeartbeatDecoder().decode(Array(#"{"health":"\#(secret)"}"#.utf8))
        guard case .failure(let rejection) = result else { return XCTFail("accepted") }
        XCTAssertFalse(rejection.detail.contains(secret))
    }

    func testDecodingFromARawBufferSliceReadsOnlyThatSlice() {
        // The daemon decodes straight out of its arena: the buffer ends exactly at the payload.
        let arena = Array(#"{"seq":7}{"seq":8}"#.utf8)
        let first = arena.withUnsafeBytes { HeartbeatDecoder().decode(UnsafeRawBufferPointer(rebasing: $0[0..<9])) }
        XCTAssertEqual(try first.get().seq, 7)
    }

    func testMetricLookupByName() throws {
        let payload = #"{"metrics":{"battery_pct":14.5,"camera_ok":false}}"#
        let beat = try HeartbeatDecoder().decode(Array(payload.utf8)).get()
        XCTAssertEqual(beat.metric(named: "battery_pct"), .number(14.5))
        XCTAssertEqual(beat.metric(named: "camera_ok"), .bool(false))
        XCTAssertNil(beat.metric(named: "temp_c"))
    }

    func testMetricValuesDescribeThemselvesCompactly() {
        XCTAssertEqual(MetricValue.number(15).description, "15")
        XCTAssertEqual(MetricValue.number(14.5).description, "14.5")
        XCTAssertEqual(MetricValue.bool(false).description, "false")
        XCTAssertEqual(MetricValue.string("auto").description, "auto")
    }
}
