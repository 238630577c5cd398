import ArgumentParser
import Foundation

/// `fleetsim run`: connects every device, sends heartbeats on schedule and plays the timeline.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a simulated fleet.",
        discussion: """
            Timeline steps (--at, repeatable): SECONDS:ACTION:DEVICE[,DEVICE…] with ACTION one of
            stop (go silent, connection kept), kill (connection dropped: the broker publishes the
            device's last will), resume, health=ok|degraded|fault, metric=NAME=JSONVALUE,
            ramp=NAME=PER_SECOND (moves steadily from its current value; a _pct metric stays 0-100), and the
            link's: loss=RATIO (heartbeats lost on the way, evenly: 0.5 is every other one),
            duplicates=RATIO (published twice), reboot-every=N (seq and uptime_s start over after
            every N heartbeats), latency=MS (ts that much before publishing), errors=CODE[,CODE…]
            (errors= clears). At 0 s they are per-device options for the whole run.
            DEVICE may be 'all'. Example: --at 5:kill:robot-site01-01 --at 20:resume:robot-site01-01
            --at 0:loss=0.5:robot-site01-01 --at 3:errors=E_DOOR_JAM:locker-site01-01
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
        let devices = specs.map {
            SimulatedDevice(
                spec: $0, broker: broker, interval: fleetOptions.interval, qos: Int32(qos),
                sendsInterval: !fleetOptions.omitInterval)
        }
        let sent = fleetOptions.omitInterval ? "without interval_s" : "with interval_s"
        say(
            "\(devices.count) devices at \(fleetOptions.sites) sites, heartbeat every \(fleetOptions.interval)s \(sent), "
                + "broker \(broker.host):\(broker.port)")
        try FleetRunner(devices: devices, interval: fleetOptions.interval, duration: duration, steps: at).run()
    }
}
