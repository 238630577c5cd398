import XCTest

@testable import FleetCore

/// Drives a `DetectionEngine` on a made-up timeline: `t` is seconds since the engine was created.
/// The monotonic and wall clocks deliberately differ by a large constant, so a test notices if
/// the engine mixes them up.
final class EngineRig {
    /// 2026-11-26T10:00:00+08:00, a Thursday, in service time.
    static let defaultWallAtZero = 1_795_658_400.0
    static let monotonicAtZero = 5_000.0

    var engine: DetectionEngine
    let wallAtZero: Double
    private(set) var now: Double = 0

    /// With `outages: false` (the default) the configuration keeps the site, core and fleet rules
    /// and `group_wait_s` out of the way, so a test sees one device's own incidents, announced at
    /// once; `outages: true` is the shipped configuration.
    init(
        restored: RestoredState = RestoredState(), wallAtZero: Double = EngineRig.defaultWallAtZero,
        outages: Bool = false, _ configure: (inout Configuration) -> Void = { _ in }
    ) {
        var config = Configuration()
        if !outages { Self.deviceLevelOnly(&config) }
        configure(&config)
        self.wallAtZero = wallAtZero
        engine = DetectionEngine(
            configuration: config, restored: restored,
            at: Moment(monotonic: Self.monotonicAtZero, wall: wallAtZero))
    }

    static func deviceLevelOnly(_ config: inout Configuration) {
        for name in config.kinds.keys { config.kinds[name]?.core = false }
        config.escalation.siteOfflineRatio = 1
        config.escalation.fleetOfflineRatio = 1
        config.escalation.groupWaitSeconds = 0
    }

    func moment(_ t: Double) -> Moment { Moment(monotonic: Self.monotonicAtZero + t, wall: wallAtZero + t) }
    func wall(_ t: Double) -> Double { wallAtZero + t }

    @discardableResult
    func connect(at t: Double) -> [EngineEffect] {
        now = t
        return engine.brokerDidConnect(at: moment(t))
    }

    @discardableResult
    func disconnect(at t: Double) -> [EngineEffect] {
        now = t
        return engine.brokerDidDisconnect(at: moment(t))
    }

    @discardableResult
    func tick(at t: Double) -> [EngineEffect] {
        now = t
        return engine.tick(at: moment(t))
    }

    /// Ticks every `step` seconds after the current time up to and including `t`, as the daemon's
    /// loop does, and makes each device in `beating` send a plain heartbeat at every multiple of
    /// `every` seconds (before that moment's tick). Returns every effect on the way.
    @discardableResult
    func run(
        to t: Double, step: Double = 1, beating: [DeviceTopic] = [], every: Double = 10,
        file: StaticString = #filePath, line: UInt = #line
    ) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        var x = now
        while x < t {
            x = min(x + step, t)
            if !beating.isEmpty && x.truncatingRemainder(dividingBy: every) == 0 {
                for topic in beating { effects += beat(topic, at: x, file: file, line: line) }
            }
            effects += tick(at: x)
        }
        return effects
    }

    @discardableResult
    func beat(
        _ topic: DeviceTopic, at t: Double, _ configure: (inout Heartbeat) -> Void = { _ in },
        file: StaticString = #filePath, line: UInt = #line
    ) -> [EngineEffect] {
        var heartbeat = Heartbeat()
        configure(&heartbeat)
        now = t
        switch engine.heartbeatReceived(heartbeat, on: topic, at: moment(t)) {
        case .success(let effects): return effects
        case .failure(let rejection):
            XCTFail("heartbeat rejected: \(rejection.reason.rawValue) \(rejection.detail)", file: file, line: line)
            return []
        }
    }

    @discardableResult
    func status(
        online: Bool, _ topic: DeviceTopic, at t: Double,
        file: StaticString = #filePath, line: UInt = #line
    ) -> [EngineEffect] {
        now = t
        switch engine.statusReceived(online: online, on: topic, at: moment(t)) {
        case .success(let effects): return effects
        case .failure(let rejection):
            XCTFail("status rejected: \(rejection.reason.rawValue) \(rejection.detail)", file: file, line: line)
            return []
        }
    }

    /// An `offline` status at `t`, then the tick after the engine's confirmation delay.
    @discardableResult
    func statusOffline(
        _ topic: DeviceTopic, at t: Double,
        file: StaticString = #filePath, line: UInt = #line
    ) -> [EngineEffect] {
        status(online: false, topic, at: t, file: file, line: line)
            + tick(at: t + DetectionEngine.statusConfirmDelay)
    }

    func state(_ id: String) -> DeviceState? { engine.device(id)?.state }
}

extension DeviceTopic {
    static func robot(_ id: String = "robot-01", site: String = "tianshan") -> DeviceTopic {
        DeviceTopic(site: site, kind: "delivery-robot", device: id, channel: .heartbeat)
    }

    static func gate(_ id: String, site: String = "tianshan") -> DeviceTopic {
        DeviceTopic(site: site, kind: "face-gate", device: id, channel: .heartbeat)
    }
}

extension Array where Element == EngineEffect {
    var announced: [AlertEvent] {
        compactMap { if case .announce(let e) = $0 { e } else { nil } }
    }

    var savedIncidents: [Incident] {
        compactMap { if case .saveIncident(let i) = $0 { i } else { nil } }
    }

    var savedDevices: [DeviceRecord] {
        compactMap { if case .saveDevice(let d) = $0 { d } else { nil } }
    }

    /// `OPEN offline robot-01 #1`-style summaries, for compact assertions.
    var eventSummaries: [String] {
        announced.map {
            "\($0.kind.rawValue) \($0.field("rule") ?? "-") \($0.field("device") ?? "-") #\($0.incidentID)"
        }
    }

    /// `OPEN P1 site-outage`-style summaries.
    var priorityLines: [String] {
        announced.map { "\($0.kind.rawValue) \($0.priority.rawValue) \($0.field("rule") ?? "-")" }
    }
}
