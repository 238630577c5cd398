import FleetControl
import FleetCore
import Testing

@testable import FleetDaemon

/// What each operator request does to a real engine (no daemon, no socket) and what its reply says.
struct ControlRequestHandlerTests {
    private let now = Moment(monotonic: 5_000, wall: 1_795_658_400)

    /// One inventory locker at tianshan, no incidents, no windows.
    private func engine() -> DetectionEngine {
        var configuration = Configuration()
        configuration.devices = [InventoryDevice(id: "locker-01", site: "tianshan", kind: "pickup-locker")]
        return DetectionEngine(configuration: configuration, at: now)
    }

    @Test func pingAnswersWithThePidAndChangesNothing() {
        var engine = engine()
        let outcome = ControlRequestHandler.apply(.ping, to: &engine, at: now)
        #expect(outcome.effects.isEmpty)
        guard case .success(let message) = outcome.result else {
            Issue.record("ping failed")
            return
        }
        #expect(message.hasPrefix("fleetwatchd ") && message.hasSuffix(" running"))
    }

    @Test(arguments: [
        ControlRequest.acknowledge(incident: 42, by: "li", note: nil), .dispatch(incident: 42, by: "li"),
        .arrive(incident: 42, by: "li"), .resolve(incident: 42, by: "li", note: nil),
        .note(incident: 42, by: "li", text: "x"), .removeMaintenance(window: 7),
    ])
    func aRequestForSomethingThatDoesNotExistIsRefusedWithNoEffects(request: ControlRequest) {
        var engine = engine()
        let outcome = ControlRequestHandler.apply(request, to: &engine, at: now)
        #expect(outcome.effects.isEmpty)
        guard case .failure = outcome.result else {
            Issue.record("\(request) succeeded on an empty engine")
            return
        }
    }

    @Test func anAddedWindowIsAnsweredWithItsLabelAndSaved() {
        var engine = engine()
        let window = MaintenanceWindow(site: "tianshan", from: now.wall, until: now.wall + 3600, createdBy: "li")
        let outcome = ControlRequestHandler.apply(.addMaintenance(window), to: &engine, at: now)
        #expect(outcome.result == .success("MW-1"))
        #expect(outcome.effects.contains { if case .saveMaintenance = $0 { true } else { false } })
    }
}
