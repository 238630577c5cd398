import Foundation
import Testing

@testable import FleetCore
@testable import FleetDaemon

/// Issue 11: random and mutated heartbeats and topics, through the daemon's own intake (topic
/// parser, decoder, engine), seeded and bounded. Nothing may crash, and a rejected message may
/// change nothing at all: no effect, no device, no incident, no deadline, no last-seen.
///
/// `FLEETWATCH_FUZZ_ITERATIONS` (default 10,000, a few seconds in a debug build) and
/// `FLEETWATCH_FUZZ_SEED` scale it for a long run.
struct IntakeFuzzTests {
    static var iterations: Int {
        Int(ProcessInfo.processInfo.environment["FLEETWATCH_FUZZ_ITERATIONS"] ?? "") ?? 10_000
    }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["FLEETWATCH_FUZZ_SEED"] ?? "") ?? 11 }

    /// What a rejected message must leave exactly as it was.
    struct Fingerprint: Equatable {
        var records: [DeviceRecord]
        var liveness: [String]
        var incidents: [Incident]
        var deviceCount: Int
    }

    static func fingerprint(_ engine: DetectionEngine) -> Fingerprint {
        Fingerprint(
            records: engine.registry.devices.indices.map { engine.registry.record(DeviceSlot($0)) },
            liveness: engine.registry.devices.map {
                "\($0.lastSeenMonotonic ?? -1) \($0.intervalOverride ?? -1) \($0.timeout) \($0.health) \($0.armed) \($0.lastSeenDirty)"
            },
            incidents: engine.unresolvedIncidents.sorted { $0.id < $1.id },
            deviceCount: engine.deviceCount)
    }

    static let sites = ["tianshan", "jinqiao", "site-01"]
    static let kinds = ["delivery-robot", "pickup-locker", "digital-human", "face-gate", "no-such-kind"]

    /// Payloads that decode, to mutate from.
    static let seeds: [String] = [
        #"{"seq":1}"#,
        #"{"ts":"2026-11-26T21:30:04.120+08:00","seq":42,"interval_s":10,"health":"degraded","errors":["E_MOTOR_STALL"],"metrics":{"battery_pct":14.5,"temp_c":-3,"camera_ok":true,"mode":"eco"},"fw":"2.3.1"}"#,
        #"{"ts":1795699804120,"health":"fault","errors":[],"metrics":{},"extra":{"nested":[1,2,{"a":null}]}}"#,
        #"{"interval_s":0.5,"metrics":{"fps":29.97,"recognition_ms":120},"fw":"\u00e9\u4e2d\ud83d\ude00"}"#,
        #"{"seq":null,"health":"ok","uptime_s":3600}"#,
        "  {\"seq\" : 7 , \"health\" : \"ok\" }\n",
    ]

    static let interesting: [String] = [
        "1e308", "1e309", "-1e308", "1e-9", "0", "-0", "-1", "0.1", "86400", "86400.0001", "1e300",
        "99999999999999999999",
        "9223372036854775807", "-9223372036854775808", "NaN", "Infinity", "\"\\u0000\"", "\"\\ud800\"",
        "\"\\u001b[2J\"",
        "[]", "{}", "null", "true", "\"\"", String(repeating: "[", count: 40),
        "\"" + String(repeating: "x", count: 300) + "\"",
    ]

    struct Input {
        var topic: [UInt8]
        var payload: [UInt8]
    }

    static func topic(_ g: inout SeededGenerator) -> [UInt8] {
        // A device usually at its own site and kind; now and then elsewhere (inventory_mismatch).
        let n = Int.random(in: 0..<80, using: &g)
        let moved = Int.random(in: 0..<8, using: &g) == 0
        let site = moved ? sites.randomElement(using: &g) ?? "tianshan" : sites[n % sites.count]
        let kind = moved ? kinds.randomElement(using: &g) ?? "face-gate" : kinds[n % (kinds.count - 1)]
        let device = "dev-\(n)"
        let channel = Int.random(in: 0..<4, using: &g) == 0 ? "status" : "heartbeat"
        var text = "library/\(site)/\(kind)/\(device)/\(channel)"
        switch Int.random(in: 0..<24, using: &g) {  // one topic in three is broken
        case 0: text = text.replacingOccurrences(of: "library", with: "libraries")
        case 1: text += "/extra"
        case 2: text = text.replacingOccurrences(of: device, with: "dev+#")
        case 3: text = text.replacingOccurrences(of: site, with: "")
        case 4: text = text.replacingOccurrences(of: device, with: String(repeating: "d", count: 65))
        case 5: text = "library/$fleetwatch/state"
        case 6: text = "library/$fleetwatch/probe"
        case 7: text = text.replacingOccurrences(of: site, with: "sité")
        default: break
        }
        var bytes = Array(text.utf8)
        if Int.random(in: 0..<10, using: &g) == 0, !bytes.isEmpty {
            bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
        }
        return bytes
    }

    static func payload(_ g: inout SeededGenerator, channel isStatus: Bool) -> [UInt8] {
        if isStatus {
            let words = ["online", "offline", " offline\n", "OFFLINE", "", "onlinex", "\u{0}offline"]
            return Array((words.randomElement(using: &g) ?? "online").utf8)
        }
        var bytes = Array((seeds.randomElement(using: &g) ?? "{}").utf8)
        for _ in 0..<max(0, Int.random(in: -2..<4, using: &g)) {  // half are left as they are
            switch Int.random(in: 0..<8, using: &g) {
            case 0 where !bytes.isEmpty:  // flip a byte
                bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            case 1 where !bytes.isEmpty:  // cut it short
                bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &g)...)
            case 2:  // splice in an interesting value after a colon
                if let colon = bytes.indices.filter({ bytes[$0] == UInt8(ascii: ":") }).randomElement(using: &g) {
                    let end =
                        bytes[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") }
                        ?? bytes.endIndex
                    bytes.replaceSubrange(
                        (colon + 1)..<end, with: Array((interesting.randomElement(using: &g) ?? "0").utf8))
                }
            case 3:  // a known field with an interesting value
                let field =
                    ["ts", "seq", "interval_s", "health", "errors", "metrics", "fw"].randomElement(using: &g) ?? "seq"
                let value = interesting.randomElement(using: &g) ?? "0"
                bytes = Array("{\"\(field)\":\(value)}".utf8)
            case 4 where bytes.count > 2:  // duplicate a slice
                let a = Int.random(in: 0..<bytes.count, using: &g)
                let b = Int.random(in: a..<bytes.count, using: &g)
                bytes.insert(contentsOf: bytes[a..<b], at: Int.random(in: 0...bytes.count, using: &g))
            case 5:  // random bytes
                bytes = (0..<Int.random(in: 0..<64, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            case 6 where !bytes.isEmpty:  // delete one byte
                bytes.remove(at: Int.random(in: 0..<bytes.count, using: &g))
            default:
                break
            }
        }
        return bytes
    }

    @Test func randomAndMutatedMessagesNeverCrashAndRejectedOnesChangeNothing() {
        var g = SeededGenerator(seed: Self.seed)
        var configuration = Configuration()
        configuration.devices = [InventoryDevice(id: "dev-0", site: "tianshan", kind: "delivery-robot")]
        configuration.detection.maxDevices = 60  // fewer than the ids made: device_limit is reached
        let intake = MessageIntake(configuration: configuration)
        var t = 0.0
        var engine = DetectionEngine(configuration: configuration, at: Moment(monotonic: 1000, wall: 1_795_658_400))
        _ = engine.takeStartupEffects()
        _ = engine.brokerDidConnect(at: Moment(monotonic: 1000, wall: 1_795_658_400))
        var counts: [String: Int] = [:]
        for i in 0..<Self.iterations {
            t += Double.random(in: 0...0.5, using: &g)
            let now = Moment(monotonic: 1000 + t, wall: 1_795_658_400 + t)
            let topic = Self.topic(&g)
            let payload = Self.payload(&g, channel: topic.count >= 6 && topic.suffix(6).elementsEqual("status".utf8))
            let before = Self.fingerprint(engine)
            var effects: [EngineEffect] = []
            let result = topic.withUnsafeBufferPointer { topicBytes in
                payload.withUnsafeBytes {
                    intake.apply(topic: topicBytes, payload: $0, to: &engine, at: now, effects: &effects)
                }
            }
            switch result {
            case .success: counts["accepted", default: 0] += 1
            case nil:
                counts["ignored", default: 0] += 1
                #expect(effects.isEmpty)
                #expect(Self.fingerprint(engine) == before, "ignored input changed state (input \(i))")
            case .failure(let rejection):
                counts[rejection.reason.rawValue, default: 0] += 1
                if !effects.isEmpty || Self.fingerprint(engine) != before {
                    let shown = "topic \(String(decoding: topic, as: UTF8.self)) payload \(payload)"
                    Issue.record("rejected input \(i) (\(rejection.reason.rawValue)) changed state: \(shown)")
                    return
                }
            }
            if i % 50 == 0 {
                _ = engine.tick(at: now)
                _ = engine.takeLastSeenUpdates()
            }
        }
        // The corpus reaches both sides: most reasons and a fair share accepted.
        #expect((counts["accepted"] ?? 0) > Self.iterations / 20, "\(counts)")
        for reason in [
            "bad_topic", "bad_json", "bad_field", "bad_status", "unknown_kind", "inventory_mismatch", "device_limit",
        ] {
            #expect((counts[reason] ?? 0) > 0, "never \(reason): \(counts)")
        }
        print("intake fuzz: \(Self.iterations) inputs, seed \(Self.seed): \(counts.sorted { $0.key < $1.key })")
    }

    /// Whatever a decoded heartbeat says is within what the decoder promises.
    @Test func everyDecodedHeartbeatIsInRange() {
        var g = SeededGenerator(seed: Self.seed &+ 1)
        let decoder = HeartbeatDecoder()
        for _ in 0..<Self.iterations {
            let bytes = Self.payload(&g, channel: false)
            guard case .success(let beat) = decoder.decode(bytes) else { continue }
            if let interval = beat.intervalSeconds { #expect(Heartbeat.intervalRange.contains(interval)) }
            if let seq = beat.seq { #expect(seq >= 0) }
            if let ts = beat.timestamp { #expect(ts.isFinite && ts >= 0) }
            for metric in beat.metrics { if case .number(let n) = metric.value { #expect(n.isFinite) } }
        }
    }

    /// Any text in any field renders to one line with nothing raw, which reads back the same.
    @Test func everyFieldValueRendersToOneSafeLineThatReadsBack() {
        var g = SeededGenerator(seed: Self.seed &+ 2)
        let time = TimeFormat(zoneIdentifier: "Asia/Shanghai")
        let alphabet: [Unicode.Scalar] = [
            "a", " ", "=", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7}", "\u{7F}",
            "\u{85}", "\u{9B}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{1E}", "\u{1F}", "天", "😀", "u",
        ]
        for _ in 0..<max(1, Self.iterations / 10) {
            var value = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<12, using: &g) { value.append(alphabet.randomElement(using: &g) ?? "a") }
            let event = AlertEvent(
                time: 1_795_699_804.125, kind: .note, priority: .p2, incidentID: 7,
                fields: [.init("by", "x"), .init("msg", String(value))])
            for format in [StorageSettings.AlertLogFormat.text, .json] {
                let line = format == .json ? event.jsonLine(time) : event.textLine(time)
                #expect(!line.unicodeScalars.contains(where: TextSafety.mustEscape), "\(line)")
                #expect(AlertLine.event(line, format: format) == event, "\(line)")
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) for seeded fuzzing.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
