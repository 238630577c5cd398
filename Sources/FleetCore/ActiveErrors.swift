/// The active error codes of each device (the `errors` of its last heartbeat, sorted, without
/// repeats), kept only for devices that have some: most have none, and they cost nothing here.
/// And the `error` rule on them (SPEC §11): a code its kind's catalog lists with a priority opens
/// one incident per device and code, which clears when a heartbeat comes without the code.
struct ActiveErrors {
    /// What a heartbeat changed: the codes before and after.
    struct Change: Equatable {
        var before: [String]
        var after: [String]
    }

    private var bySlot: [DeviceSlot: [String]] = [:]
    /// Kind → code → entry.
    private var catalogs: [String: [String: ErrorCode]]

    init(kinds: [String: KindSettings]) {
        catalogs = kinds.mapValues(\.errorCodes)
    }

    mutating func configure(kinds: [String: KindSettings]) {
        catalogs = kinds.mapValues(\.errorCodes)
    }

    func codes(_ slot: DeviceSlot) -> [String] { bySlot.isEmpty ? [] : bySlot[slot] ?? [] }

    /// A forgotten device: its slot may soon be another device's.
    mutating func forget(_ slot: DeviceSlot) {
        if !bySlot.isEmpty { bySlot[slot] = nil }
    }

    /// Devices with active codes, for a reload to look at again.
    var slotsWithCodes: [DeviceSlot] { bySlot.keys.sorted() }

    func entry(_ code: String, kind: String) -> ErrorCode? { catalogs[kind]?[code] }

    /// A heartbeat's `errors`; nil when they are the codes already known (the hot path: no
    /// allocation unless they changed).
    mutating func update(_ slot: DeviceSlot, _ errors: [String]) -> Change? {
        if errors.isEmpty {
            guard !bySlot.isEmpty, let before = bySlot.removeValue(forKey: slot) else { return nil }
            return Change(before: before, after: [])
        }
        let before = codes(slot)
        if Self.sameCodes(before, errors) { return nil }
        let after = Array(Set(errors)).sorted()
        bySlot[slot] = after
        return Change(before: before, after: after)
    }

    /// After a restart: the codes of restored `error` incidents count as active until a heartbeat
    /// says otherwise, so one without them clears the incident.
    mutating func restore(_ slot: DeviceSlot, code: String) {
        var codes = bySlot[slot] ?? []
        guard !codes.contains(code) else { return }
        codes.append(code)
        bySlot[slot] = codes.sorted()
    }

    /// What the rule says about `record`'s codes going from `before` to `after`: every code with a
    /// priority now holds (re-raising one already open is nothing); every other code that was
    /// active is cleared (a code that lost its priority in a reload clears too).
    func findings(_ change: Change, _ record: DeviceRecord) -> [Finding] {
        var findings: [Finding] = []
        for code in change.after {
            if let entry = entry(code, kind: record.kind), let priority = entry.priority {
                var problem = Problem.device(
                    .error, priority, record, summary: entry.text.isEmpty ? code : "\(code): \(entry.text)")
                problem.code = code
                findings.append(.holds(problem))
            } else {
                findings.append(.cleared(Self.key(record.id, code)))
            }
        }
        for code in change.before where !change.after.contains(code) {
            findings.append(.cleared(Self.key(record.id, code)))
        }
        return findings
    }

    static func key(_ device: String, _ code: String) -> IncidentKey {
        IncidentKey(rule: .error, scope: .device, device: device, code: code)
    }

    /// Whether `codes` (sorted, unique) are the codes in `errors`, compared without allocating.
    static func sameCodes(_ codes: [String], _ errors: [String]) -> Bool {
        guard !codes.isEmpty else { return errors.isEmpty }
        for e in errors where !codes.contains(e) { return false }
        for c in codes where !errors.contains(c) { return false }
        return true
    }
}
