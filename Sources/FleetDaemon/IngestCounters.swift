import FleetCore

/// Messages accepted and rejected per reason; owned by the engine loop, published once a second.
struct IngestCounters {
    var accepted = 0
    var rejected: [RejectReason: Int] = [:]

    mutating func reject(_ reason: RejectReason) { rejected[reason, default: 0] += 1 }

    var rejectedByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: rejected.map { ($0.key.rawValue, $0.value) })
    }
}
