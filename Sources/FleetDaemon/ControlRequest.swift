import FleetCore
import Foundation

/// A request on the control socket, one JSON object per connection:
/// `{"op":"ack","incident":"INC-000123","by":"li.wei","note":"…"}`.
enum ControlRequest: Sendable {
    case acknowledge(incident: Int64, by: String, note: String?)
    case dispatch(incident: Int64, by: String)
    case arrive(incident: Int64, by: String)
    case resolve(incident: Int64, by: String, note: String?)
    case note(incident: Int64, by: String, text: String)
    case addMaintenance(MaintenanceWindow)
    case removeMaintenance(id: Int64)
    case ping

    struct Invalid: Error, CustomStringConvertible { let description: String }

    static func parse(_ line: String) -> Result<ControlRequest, Invalid> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let op = object["op"] as? String else {
            return .failure(Invalid(description: "request must be a JSON object with an \"op\""))
        }
        func text(_ key: String) -> String? { (object[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        func incident() -> Int64? { text("incident").flatMap(Incident.parseLabel) }
        if op == "ping" { return .success(.ping) }
        if op == "maintenance-remove" {
            guard let id = text("id").flatMap(MaintenanceWindow.parseLabel) else {
                return .failure(Invalid(description: "maintenance-remove needs an id like MW-1"))
            }
            return .success(.removeMaintenance(id: id))
        }
        guard let by = text("by") else { return .failure(Invalid(description: "\(op) needs \"by\" (who does it)")) }
        if op == "maintenance-add" {
            guard let from = object["from"] as? Double, let until = object["until"] as? Double,
                  (text("site") == nil) != (text("device") == nil) else {
                return .failure(Invalid(description: "maintenance-add needs from, until and exactly one of site or device"))
            }
            return .success(.addMaintenance(MaintenanceWindow(site: text("site"), device: text("device"), from: from,
                                                              until: until, reason: text("reason"), createdBy: by)))
        }
        guard let id = incident() else {
            return .failure(Invalid(description: "\(op) needs an incident id like INC-000123"))
        }
        switch op {
        case "ack": return .success(.acknowledge(incident: id, by: by, note: text("note")))
        case "dispatch": return .success(.dispatch(incident: id, by: by))
        case "arrive": return .success(.arrive(incident: id, by: by))
        case "resolve": return .success(.resolve(incident: id, by: by, note: text("note")))
        case "note":
            guard let body = text("text") else { return .failure(Invalid(description: "note needs a text")) }
            return .success(.note(incident: id, by: by, text: body))
        default: return .failure(Invalid(description: "unknown op \"\(op)\""))
        }
    }
}
