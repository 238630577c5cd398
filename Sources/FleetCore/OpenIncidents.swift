/// The unresolved incidents, found by problem (`IncidentKey`) or by id. The id index keeps
/// operator actions and parent lookups constant-time when an outage holds thousands of children.
///
/// Every change goes through the subscript, so this is also where what the once-a-second work
/// needs is kept up to date: the breach heap (which incident can miss a deadline next) and the
/// counts by priority and by condition. Scanning 10,000 open incidents for breaches took 7–37 ms
/// of the engine loop every second, while due offline deadlines waited (docs/benchmarks.md).
struct OpenIncidents {
    private(set) var byKey: [IncidentKey: Incident] = [:]
    private var keyByID: [Int64: IncidentKey] = [:]
    private var breachHeap = MinHeap<IncidentDeadline>()
    private(set) var countsByPriority: [Priority: Int] = [:]
    /// Unresolved incidents by what they are about, for counts that depend on the configuration
    /// (open forecasts): a few dozen entries, however many incidents.
    private(set) var countsByCondition: [ConditionOfKind: Int] = [:]

    struct ConditionOfKind: Hashable {
        var condition: RuleID
        var kind: String?
    }

    subscript(key: IncidentKey) -> Incident? {
        get { byKey[key] }
        set {
            let old = byKey[key]
            if let old, old.id != newValue?.id { keyByID[old.id] = nil }
            byKey[key] = newValue
            if let incident = newValue { keyByID[incident.id] = key }
            counted(old, -1)
            counted(newValue, +1)
            if let due = newValue?.nextBreachDue, due != old?.nextBreachDue || old?.id != newValue?.id {
                pushBreach(due, newValue!.id)
            }
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
        counted(incident, -1)
        return incident
    }

    /// (key, incident) of the incidents whose `parent` is `id`.
    func children(of id: Int64) -> [(key: IncidentKey, incident: Incident)] {
        byKey.compactMap { $0.value.parent == id ? ($0.key, $0.value) : nil }
    }

    /// The id of an incident that may have missed a deadline by `wall`, earliest first; nil when
    /// none can have. The caller judges it (the entry may be stale: acknowledged, resolved).
    mutating func popBreachCandidate(at wall: Double) -> Int64? { breachHeap.popDue(wall)?.incident }

    private mutating func counted(_ incident: Incident?, _ change: Int) {
        guard let incident else { return }
        let condition = ConditionOfKind(condition: incident.condition, kind: incident.kind)
        countsByPriority[incident.priority] = nonZero(countsByPriority[incident.priority, default: 0] + change)
        countsByCondition[condition] = nonZero(countsByCondition[condition, default: 0] + change)
    }

    private func nonZero(_ count: Int) -> Int? { count == 0 ? nil : count }

    /// Stale entries (resolved incidents, moved deadlines) stay until they fall due; the heap is
    /// built again from the incidents when they outnumber the live ones.
    private mutating func pushBreach(_ due: Double, _ id: Int64) {
        breachHeap.push(IncidentDeadline(due: due, incident: id))
        guard breachHeap.count > 2 * byKey.count + 1024 else { return }
        breachHeap.removeAll()
        for incident in byKey.values {
            if let due = incident.nextBreachDue { breachHeap.push(IncidentDeadline(due: due, incident: incident.id)) }
        }
    }
}

extension OpenIncidents: Sequence {
    func makeIterator() -> Dictionary<IncidentKey, Incident>.Iterator { byKey.makeIterator() }
}
