import ArgumentParser

/// `fleetsim scenarios`: the catalogue, one line each.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scenarios", abstract: "List the named scenarios.")

    func run() throws {
        for s in Scenario.all {
            print("\(s.name.padding(toLength: 17, withPad: " ", startingAt: 0)) \(s.summary). Expect: \(s.expected)")
        }
        print("\nScenarios assume these daemon settings:\n\(Scenario.daemonSettings)")
        for s in Scenario.all {
            if let needs = s.needs { print("\(s.name) also needs: \(needs)") }
        }
    }
}

/// `fleetsim scenario NAME`: runs one scenario against a broker.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scenario", abstract: "Run a named scenario.")

    @OptionGroup var broker: BrokerOptions
    @Argument(help: "Scenario name (see: fleetsim scenarios).") var name: String
    @Option(name: .long, help: "Override the scenario's duration in seconds.") var duration: Double?

    func validate() throws {
        guard Scenario.all.contains(where: { $0.name == name }) else {
            throw ValidationError("no scenario \"\(name)\"; list them with: fleetsim scenarios")
        }
    }

    func run() throws {
        guard let scenario = Scenario.all.first(where: { $0.name == name }) else {
            throw ValidationError("no scenario \"\(name)\"; list them with: fleetsim scenarios")
        }
        let specs = DeviceSpec.fleet(sites: scenario.sites, perKind: scenario.perKind, kinds: DeviceSpec.builtInKinds)
        let devices = specs.map { SimulatedDevice(spec: $0, broker: broker, interval: scenario.interval, qos: 1) }
        say("scenario \(scenario.name): \(scenario.summary); \(devices.count) devices")
        if let needs = scenario.needs { say("the daemon needs: \(needs)") }
        try FleetRunner(
            devices: devices, interval: scenario.interval, duration: duration ?? scenario.duration,
            steps: scenario.steps
        ).run()
    }
}
