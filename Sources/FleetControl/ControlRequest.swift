import FleetCore

/// What `fleetwatch` asks the daemon to do over the control socket: one request per connection,
/// sent as one JSON line (`ControlRequest+Coding.swift`), answered with one `ControlReply`.
public enum ControlRequest: Sendable, Equatable {
    case ping
    case acknowledge(incident: Int64, by: String, note: String?)
    case dispatch(incident: Int64, by: String)
    case arrive(incident: Int64, by: String)
    case resolve(incident: Int64, by: String, note: String?)
    case note(incident: Int64, by: String, text: String)
    /// A major part is needed: the repair clock stops, a plan is due (SPEC §6).
    case parts(incident: Int64, by: String, note: String?)
    case plan(incident: Int64, by: String, text: String)
    /// A window for exactly one of `site` or `device`; `createdBy` is who asked. A recurring one
    /// (`every`) goes as its own op, so a daemon that predates recurring windows refuses it
    /// rather than keeping the window as one stretch from `from` to `until` (for good, often).
    case addMaintenance(MaintenanceWindow)
    case removeMaintenance(window: Int64)
    /// Reading requests, answered from the daemon's memory with a `ControlDocument`: one device in
    /// full, and the link quality of the devices of a site and/or kind (nil: all).
    case device(id: String)
    case quality(site: String?, kind: String?)
    /// `fleetwatch notify test NAME`: one TEST event to the channel now; the reply is the receiver's verdict.
    case notifyTest(channel: String)

    /// The `op` of each request on the wire.
    public enum Operation: String, Sendable, CaseIterable {
        case ping
        case acknowledge = "ack"
        case dispatch
        case arrive
        case resolve
        case note
        case parts
        case plan
        case addMaintenance = "maintenance-add"
        case addRecurringMaintenance = "maintenance-add-recurring"
        case removeMaintenance = "maintenance-remove"
        case device
        case quality
        case notifyTest = "notify-test"
    }

    public var operation: Operation {
        switch self {
        case .ping: .ping
        case .acknowledge: .acknowledge
        case .dispatch: .dispatch
        case .arrive: .arrive
        case .resolve: .resolve
        case .note: .note
        case .parts: .parts
        case .plan: .plan
        case .addMaintenance(let window): window.every == nil ? .addMaintenance : .addRecurringMaintenance
        case .removeMaintenance: .removeMaintenance
        case .device: .device
        case .quality: .quality
        case .notifyTest: .notifyTest
        }
    }
}
