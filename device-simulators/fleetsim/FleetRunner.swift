import Foundation
import Glibc

/// The simulator's one loop: connects every device, announces it online, sends heartbeats on
/// schedule and plays the timeline, until the duration ends or SIGTERM/SIGINT.
struct FleetRunner {
    let devices: [SimulatedDevice]
    let interval: Double
    let duration: Double
    var steps: [TimelineStep]

    func run() throws {
        for d in devices { try d.connect() }
        let stop = StopFlag()
        let start = Self.now()
        var announced = Set<String>()
        var steps = self.steps.sorted { $0.at < $1.at }
        while !stop.isSet {
            let elapsed = Self.now() - start
            if duration > 0 && elapsed >= duration { break }
            for d in devices where d.isConnected && !announced.contains(d.spec.id) {
                d.announceOnline()
                announced.insert(d.spec.id)
                d.nextBeat = elapsed
            }
            while let step = steps.first, step.at <= elapsed {
                steps.removeFirst()
                try apply(step, announced: &announced)
            }
            for d in devices where d.nextBeat <= elapsed && announced.contains(d.spec.id) {
                d.beat(now: elapsed)
                d.nextBeat = elapsed + interval
            }
            usleep(10_000)
        }
        // The wall-clock moment the devices went quiet: closing two dozen connections one by one
        // can take over a second on a loaded machine, so a test cannot take the process's exit
        // for it (ScenarioTests keeps the alert lines written before this moment).
        say("timeline ended at \(String(format: "%.3f", Date().timeIntervalSince1970))")
        for d in devices { d.close() }
        say("stopped")
    }

    func apply(_ step: TimelineStep, announced: inout Set<String>) throws {
        let targets = step.devices.contains("all") ? devices : devices.filter { step.devices.contains($0.spec.id) }
        for d in targets {
            switch step.action {
            case .stop: d.silence()
            case .kill:
                d.kill()
                announced.remove(d.spec.id)
            case .resume: try d.resume()
            case .health(let h): d.health = h
            case .metric(let name, let value):
                d.ramps[name] = nil
                d.metrics[name] = value
            case .ramp(let name, let rate): d.ramp(name, perSecond: rate, from: step.at)
            case .skew(let seconds): d.clockOffset = seconds
            case .malformed: _ = d.publishMalformed()
            case .loss(let ratio): d.lossRatio = ratio
            case .duplicates(let ratio): d.duplicateRatio = ratio
            case .rebootEvery(let n): d.rebootEvery = n
            case .latency(let ms): d.latencyMs = ms
            case .errors(let codes): d.errors = codes
            }
        }
        say("t=\(step.at)s \(step.action) \(targets.map(\.spec.id).joined(separator: ","))")
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

func say(_ text: String) {
    FileHandle.standardOutput.write(Data("fleetsim: \(text)\n".utf8))
}

/// Set by SIGTERM/SIGINT so the run loop closes every connection cleanly.
final class StopFlag {
    private let flag = SharedFlag()
    private let sources: [DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.set(true) }
            source.resume()
            return source
        }
    }

    var isSet: Bool { flag.value }
}
