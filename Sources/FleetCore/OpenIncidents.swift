/// The unresolved incidents, found by problem (`IncidentKey`) or by id. The id index keeps
/// operator actions and parent lookups constant-time when an outage holds thousands of children.
struct OpenIncidents {
    private(set) var byKey: [IncidentKey: Incident] = [:]
    private var keyByID: [Int64: IncidentKey] = [:]

    subscript(key: IncidentKey) -> Incident? {
        get { byKey[key] }
        set {
            if let old = byKey[key], old.id != newValue?.id { keyByID[old.id] = nil }
            byKey[key] = newValue
            if let incident = newValue { keyByID[incident.id] = key }
        }
    }

    var isEmpty: Bool { byKey.isEmpty }
    var count: Int { byKey.count }
    var values: Dictionary<IncidentKey, Incident>.Values { byKey.values }

    func key(of id: Int64) -> IncidentKey? { keyByID[id] }

    func incident(id: Int64) -> Incident? { keyByID[id].flatMap { byKey[$0] } }

    mutating func removeValue(forKey key: IncidentKey) -> Incident? {
        guard let incident = byKey.removeValue(forKey: key) else { return nil }
        keyByID[incident.id] = nil
        return incident
    }

    /// (key, incident) of the incidents whose `parent` is `id`.
    func children(of id: Int64) -> [(key: IncidentKey, incident: Incident)] {
        byKey.compactMap { $0.value.parent == id ? ($0.key, $0.value) : nil }
    }
}

extension OpenIncidents: Sequence {
    func makeIterator() -> Dictionary<IncidentKey, Incident>.Iterator { byKey.makeIterator() }
}
