import FleetCore
import Foundation

/// The wire format, as the CLI has always sent it: one JSON object per line,
/// `{"op":"ack","incident":"INC-000123","by":"li.wei","note":"…"}`. Incident and window ids go
/// as labels (`INC-000123`, `MW-3`; digits alone are accepted). An empty string, a null, a key
/// of the wrong type and a missing key all count as absent, so the messages below name what
/// a request needs rather than how it was spelled.
extension ControlRequest: Codable {
    enum Key: String, CodingKey {
        case op, incident, by, note, text, site, device, from, until, reason, id, every, kind, channel
    }

    public init(from decoder: any Decoder) throws {
        guard let fields = try? decoder.container(keyedBy: Key.self),
            let name = Self.text(fields, .op)
        else {
            throw ControlRequestError("request must be a JSON object with an \"op\"")
        }
        guard let operation = Operation(rawValue: name) else { throw ControlRequestError("unknown op \"\(name)\"") }
        switch operation {
        case .ping:
            self = .ping
            return
        case .removeMaintenance:
            guard let id = Self.text(fields, .id).flatMap(MaintenanceWindow.parseLabel) else {
                throw ControlRequestError("maintenance-remove needs an id like MW-1")
            }
            self = .removeMaintenance(window: id)
            return
        case .device:
            guard let id = Self.text(fields, .device) else { throw ControlRequestError("device needs a \"device\" id") }
            self = .device(id: id)
            return
        case .quality:
            self = .quality(site: Self.text(fields, .site), kind: Self.text(fields, .kind))
            return
        case .notifyTest:
            guard let channel = Self.text(fields, .channel) else {
                throw ControlRequestError("notify-test needs the channel's name")
            }
            self = .notifyTest(channel: channel)
            return
        default:
            break
        }
        guard let by = Self.text(fields, .by) else { throw ControlRequestError("\(name) needs \"by\" (who does it)") }
        if operation == .addMaintenance || operation == .addRecurringMaintenance {
            let site = Self.text(fields, .site)
            let device = Self.text(fields, .device)
            guard let from = Self.number(fields, .from), let until = Self.number(fields, .until),
                (site == nil) != (device == nil)
            else {
                throw ControlRequestError("\(name) needs from, until and exactly one of site or device")
            }
            var every: MaintenanceRecurrence?
            if let text = Self.text(fields, .every) {
                switch MaintenanceRecurrence.parse(text) {
                case .success(let recurrence): every = recurrence
                case .failure(let error): throw ControlRequestError("\(name): every \(error.description)")
                }
            }
            if operation == .addRecurringMaintenance && every == nil {
                throw ControlRequestError("maintenance-add-recurring needs every (\"DAYS HH:MM-HH:MM\")")
            }
            self = .addMaintenance(
                MaintenanceWindow(
                    site: site, device: device, from: from, until: until,
                    reason: Self.text(fields, .reason), createdBy: by, every: every))
            return
        }
        guard let incident = Self.text(fields, .incident).flatMap(Incident.parseLabel) else {
            throw ControlRequestError("\(name) needs an incident id like INC-000123")
        }
        let note = Self.text(fields, .note)
        switch operation {
        case .acknowledge: self = .acknowledge(incident: incident, by: by, note: note)
        case .dispatch: self = .dispatch(incident: incident, by: by)
        case .arrive: self = .arrive(incident: incident, by: by)
        case .resolve: self = .resolve(incident: incident, by: by, note: note)
        case .note:
            guard let text = Self.text(fields, .text) else { throw ControlRequestError("note needs a text") }
            self = .note(incident: incident, by: by, text: text)
        case .parts: self = .parts(incident: incident, by: by, note: note)
        case .plan:
            guard let text = Self.text(fields, .text) else { throw ControlRequestError("plan needs a text") }
            self = .plan(incident: incident, by: by, text: text)
        case .ping, .addMaintenance, .addRecurringMaintenance, .removeMaintenance, .notifyTest, .device, .quality:
            preconditionFailure("handled above")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Key.self)
        try fields.encode(operation.rawValue, forKey: .op)
        switch self {
        case .ping:
            break
        case .acknowledge(let incident, let by, let note), .resolve(let incident, let by, let note),
            .parts(let incident, let by, let note):
            try fields.encode(Incident.label(incident), forKey: .incident)
            try fields.encode(by, forKey: .by)
            try fields.encodeIfPresent(note, forKey: .note)
        case .dispatch(let incident, let by), .arrive(let incident, let by):
            try fields.encode(Incident.label(incident), forKey: .incident)
            try fields.encode(by, forKey: .by)
        case .note(let incident, let by, let text), .plan(let incident, let by, let text):
            try fields.encode(Incident.label(incident), forKey: .incident)
            try fields.encode(by, forKey: .by)
            try fields.encode(text, forKey: .text)
        case .addMaintenance(let window):
            try fields.encodeIfPresent(window.site, forKey: .site)
            try fields.encodeIfPresent(window.device, forKey: .device)
            try fields.encode(window.from, forKey: .from)
            try fields.encode(window.until, forKey: .until)
            try fields.encodeIfPresent(window.reason, forKey: .reason)
            try fields.encodeIfPresent(window.createdBy, forKey: .by)
            try fields.encodeIfPresent(window.every?.text, forKey: .every)
        case .removeMaintenance(let window):
            try fields.encode(MaintenanceWindow.label(window), forKey: .id)
        case .device(let id):
            try fields.encode(id, forKey: .device)
        case .quality(let site, let kind):
            try fields.encodeIfPresent(site, forKey: .site)
            try fields.encodeIfPresent(kind, forKey: .kind)
        case .notifyTest(let channel):
            try fields.encode(channel, forKey: .channel)
        }
    }

    private static func text(_ fields: KeyedDecodingContainer<Key>, _ key: Key) -> String? {
        guard let value = try? fields.decodeIfPresent(String.self, forKey: key), !value.isEmpty else { return nil }
        return value
    }

    private static func number(_ fields: KeyedDecodingContainer<Key>, _ key: Key) -> Double? {
        (try? fields.decodeIfPresent(Double.self, forKey: key)) ?? nil
    }

    /// One request line as read from the socket (without its newline).
    public init(line: String) throws(ControlRequestError) {
        do {
            self = try JSONDecoder().decode(ControlRequest.self, from: Data(line.utf8))
        } catch let error as ControlRequestError {
            throw error
        } catch {
            throw ControlRequestError("request must be a JSON object with an \"op\"")
        }
    }

    /// The request as one line, newline included. Fails only for a maintenance window whose
    /// `from` or `until` is not a finite number.
    public func encodedLine() throws(ControlRequestError) -> String {
        do {
            return try ControlLine.encode(self)
        } catch {
            throw ControlRequestError("\(operation.rawValue) cannot be encoded: \(error)")
        }
    }
}
