import FleetCore
import Glibc

extension Daemon {
    /// Applies an operator request on the loop, commits and announces it, then answers: the
    /// CLI's success means the change is in the database and the line in the alert log.
    func handle(_ request: ControlRequest, _ connection: ControlConnection, at now: Moment) {
        let outcome: Result<String, OperatorError>
        switch request {
        case .ping:
            outcome = .success("fleetwatchd \(getpid()) running")
        case .acknowledge(let id, let by, let note):
            outcome = apply(engine.acknowledge(id, by: by, note: note, at: now), "\(Incident.label(id)) acknowledged by \(by)")
        case .dispatch(let id, let by):
            outcome = apply(engine.dispatch(id, by: by, at: now), "\(Incident.label(id)) dispatched by \(by)")
        case .arrive(let id, let by):
            outcome = apply(engine.arrive(id, by: by, at: now), "\(Incident.label(id)): \(by) arrived on site")
        case .resolve(let id, let by, let note):
            outcome = apply(engine.resolveByOperator(id, by: by, note: note, at: now), "\(Incident.label(id)) resolved by \(by)")
        case .note(let id, let by, let text):
            outcome = apply(engine.note(id, by: by, text: text, at: now), "note added to \(Incident.label(id))")
        case .addMaintenance(let window):
            switch engine.addMaintenance(window, at: now) {
            case .success(let (stored, produced)):
                pending.append(contentsOf: produced)
                outcome = .success(MaintenanceWindow.label(stored.id))
            case .failure(let error):
                outcome = .failure(error)
            }
        case .removeMaintenance(let id):
            outcome = apply(engine.removeMaintenance(id, at: now), "\(MaintenanceWindow.label(id)) removed")
        }
        flush(lastSeen: [], at: now)
        switch outcome {
        case .success(let message):
            connection.reply(databaseFailing
                ? .success(message + " (the database is failing: kept in memory and retried)")
                : .success(message))
        case .failure(let error):
            connection.reply(.failure(error.description))
        }
    }

    private func apply(_ result: Result<[EngineEffect], OperatorError>, _ message: String) -> Result<String, OperatorError> {
        switch result {
        case .success(let produced):
            pending.append(contentsOf: produced)
            return .success(message)
        case .failure(let error):
            return .failure(error)
        }
    }
}
