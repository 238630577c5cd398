import FleetControl
import FleetCore
import Testing

@testable import FleetDaemon

/// `device` and `quality` answered from a real engine's memory, and what the CLI decodes of it.
struct ControlReadHandlerTests {
    private let now = Moment(monotonic: 5_000, wall: 1_795_658_400)

    private func engine() -> DetectionEngine {
        var configuration = Configuration()
        configuration.devices = [InventoryDevice(id: "locker-01", site: "tianshan", kind: "pickup-locker")]
        var engine = DetectionEngine(configuration: configuration, at: now)
        var beat = Heartbeat()
        beat.seq = 5
        beat.errors = ["E_SCANNER"]
        beat.metrics = [Metric(name: "doors_faulted", value: .number(0))]
        var topic = "library/tianshan/pickup-locker/locker-01/heartbeat"
        if case .success(let parsed) = topic.withUTF8({ TopicParser(prefix: "library").parse($0) }) {
            _ = engine.heartbeatReceived(beat, on: parsed, at: now)
        }
        return engine
    }

    @Test func aDeviceIsAnsweredInFullAndDecodesToTheSameValue() throws {
        let engine = engine()
        guard case .detail(let detail) = ControlReadHandler.answer(.device(id: "locker-01"), from: engine, at: now)
        else {
            Issue.record("no detail")
            return
        }
        #expect(detail.errors == ["E_SCANNER"])
        #expect(detail.metrics == [Metric(name: "doors_faulted", value: .number(0))])
        guard case .success(let message) = ControlReadHandler.Answer.detail(detail).reply else {
            Issue.record("not encoded")
            return
        }
        #expect(ControlDocument.decode(DeviceDetail.self, from: message) == detail)
    }

    @Test func anUnknownDeviceIsAFailureNamingIt() {
        guard
            case .failure(let message) = ControlReadHandler.answer(.device(id: "robot-99"), from: engine(), at: now)?
                .reply
        else {
            Issue.record("not a failure")
            return
        }
        #expect(message == "no device robot-99 (see fleetwatch devices)")
    }

    @Test func qualityRowsAreFilteredAndDecode() throws {
        let engine = engine()
        guard
            case .success(let all) = ControlReadHandler.answer(.quality(site: nil, kind: nil), from: engine, at: now)?
                .reply,
            case .success(let none) = ControlReadHandler.answer(
                .quality(site: nil, kind: "face-gate"), from: engine, at: now)?.reply
        else {
            Issue.record("not answered")
            return
        }
        #expect(ControlDocument.decode([QualityRow].self, from: all)?.map(\.id) == ["locker-01"])
        #expect(ControlDocument.decode([QualityRow].self, from: none) == [])
    }

    @Test func changingRequestsAreNotReads() {
        #expect(ControlReadHandler.answer(.ping, from: engine(), at: now) == nil)
    }
}

extension ControlReadHandler.Answer: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.detail(let x), .detail(let y)): x == y
        case (.quality(let x), .quality(let y)): x == y
        case (.failure(let x), .failure(let y)): x == y
        default: false
        }
    }
}

extension ControlReadHandlerTests {
    @Test func theQualityAnswerIsSortedWorstFirstOffTheLoop() {
        let rows = [("a", 0.0), ("b", 5.0), ("c", 1.0)].map {
            QualityRow(id: $0.0, site: "s", kind: "k", quality: LinkStats(received: 10, lost: $0.1))
        }
        guard case .success(let message) = ControlReadHandler.Answer.quality(rows).reply else {
            Issue.record("not encoded")
            return
        }
        #expect(ControlDocument.decode([QualityRow].self, from: message)?.map(\.id) == ["b", "c", "a"])
    }
}
