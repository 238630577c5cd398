import ArgumentParser
import Foundation
import Glibc

/// `fleetsim run`: connects every device, sends heartbeats on schedule and plays the timeline.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a simulated fleet.",
        discussion: """
            Timeline steps (--at, repeatable): SECONDS:ACTION:DEVICE[,DEVICE…] with ACTION one of
            stop (go silent, connection kept), kill (connection dropped: the broker publishes the
            device's last will), resume, health=ok|degraded|fault, metric=NAME=JSONVALUE.
            DEVICE may be 'all'. Example: --at 5:kill:robot-site01-01 --at 20:resume:robot-site01-01
            """)

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var fleetOptions: FleetOptions
    @Option(name: .long, help: "Stop after this many seconds (0: run until SIGTERM/SIGINT).") var duration = 0.0
    @Option(name: .long, help: "QoS of heartbeats (0 or 1).") var qos = 1
    @Option(name: .long, help: "A timeline step; see below.") var at: [TimelineStep] = []

    func validate() throws {
        guard qos == 0 || qos == 1 else { throw ValidationError("--qos must be 0 or 1") }
        guard duration >= 0 else { throw ValidationError("--duration must be >= 0") }
    }

    func run() throws {
        let specs = try fleetOptions.fleet()
        let ids = Set(specs.map(\.id))
        for step in at {
            for id in step.devices where id != "all" && !ids.contains(id) {
                throw ValidationError("--at names \(id), which is not in the fleet (see: fleetsim list)")
            }
        }
        let devices = specs.map { SimulatedDevice(spec: $0, broker: broker, interval: fleetOptions.interval, qos: Int32(qos)) }
        for d in devices { try d.connect() }
        let stop = StopFlag()
        let start = Self.now()
        var announced = Set<String>()
        var steps = at.sorted { $0.at < $1.at }
        say("\(devices.count) devices at \(fleetOptions.sites) sites, heartbeat every \(fleetOptions.interval)s, broker \(broker.host):\(broker.port)")
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
                try apply(step, to: devices, announced: &announced)
            }
            for d in devices where d.nextBeat <= elapsed && announced.contains(d.spec.id) {
                d.beat(now: elapsed)
                d.nextBeat = elapsed + fleetOptions.interval
            }
            usleep(10_000)
        }
        for d in devices { d.close() }
        say("stopped")
    }

    func apply(_ step: TimelineStep, to devices: [SimulatedDevice], announced: inout Set<String>) throws {
        let targets = step.devices.contains("all") ? devices : devices.filter { step.devices.contains($0.spec.id) }
        for d in targets {
            switch step.action {
            case .stop: d.silence()
            case .kill:
                d.kill()
                announced.remove(d.spec.id)
            case .resume: try d.resume()
            case .health(let h): d.health = h
            case .metric(let name, let value): d.metrics[name] = value
            }
        }
        say("t=\(step.at)s \(step.action) \(targets.map(\.spec.id).joined(separator: ","))")
    }

    func say(_ text: String) {
        FileHandle.standardOutput.write(Data("fleetsim: \(text)\n".utf8))
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
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
