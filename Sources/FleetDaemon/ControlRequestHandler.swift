import FleetControl
import FleetCore
import SystemCalls

/// What an operator request does to the engine, and what the reply says on success. Pure: the
/// engine loop commits and announces the effects before it answers, so the CLI's success means
/// the change is in the database and the line in the alert log.
enum ControlRequestHandler {
    struct Outcome {
        let result: Result<String, OperatorError>
        let effects: [EngineEffect]
    }

    static func apply(_ request: ControlRequest, to engine: inout DetectionEngine, at now: Moment) -> Outcome {
        switch request {
        case .ping:
            return Outcome(result: .success("fleetwatchd \(ProcessControl.currentID) running"), effects: [])
        case .acknowledge(let id, let by, let note):
            return outcome(
                engine.acknowledge(id, by: by, note: note, at: now), "\(Incident.label(id)) acknowledged by \(by)")
        case .dispatch(let id, let by):
            return outcome(engine.dispatch(id, by: by, at: now), "\(Incident.label(id)) dispatched by \(by)")
        case .arrive(let id, let by):
            return outcome(engine.arrive(id, by: by, at: now), "\(Incident.label(id)): \(by) arrived on site")
        case .resolve(let id, let by, let note):
            return outcome(
                engine.resolveByOperator(id, by: by, note: note, at: now), "\(Incident.label(id)) resolved by \(by)")
        case .note(let id, let by, let text):
            return outcome(engine.note(id, by: by, text: text, at: now), "note added to \(Incident.label(id))")
        case .parts(let id, let by, let note):
            return outcome(
                engine.markParts(id, by: by, note: note, at: now),
                "\(Incident.label(id)) needs a major part: the repair clock stopped, a plan is due")
        case .plan(let id, let by, let text):
            return outcome(
                engine.recordPlan(id, by: by, text: text, at: now), "plan recorded for \(Incident.label(id))")
        case .addMaintenance(let window):
            switch engine.addMaintenance(window, at: now) {
            case .success(let (stored, effects)):
                return Outcome(result: .success(MaintenanceWindow.label(stored.id)), effects: effects)
            case .failure(let error):
                return Outcome(result: .failure(error), effects: [])
            }
        case .removeMaintenance(let id):
            return outcome(engine.removeMaintenance(id, at: now), "\(MaintenanceWindow.label(id)) removed")
        case .device, .quality:
            // Reads change nothing: the loop answers them with `ControlReadHandler` before this.
            let error = OperatorError("\(request.operation.rawValue) is a reading request")
            return Outcome(result: .failure(error), effects: [])
        case .notifyTest:
            // Answered by the notifier on a thread of its own (EngineLoop), never on the engine loop.
            return Outcome(result: .failure(OperatorError("notify test is answered by the notifier")), effects: [])
        }
    }

    private static func outcome(_ result: Result<[EngineEffect], OperatorError>, _ message: String) -> Outcome {
        switch result {
        case .success(let effects): Outcome(result: .success(message), effects: effects)
        case .failure(let error): Outcome(result: .failure(error), effects: [])
        }
    }
}
