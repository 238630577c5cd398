import FleetCore
import SQLite

/// What the status page reads besides devices and incidents: who acted on the open incidents,
/// and how many events of each kind the last hours brought.
extension StoreReader {
    /// The `ACK`, `DISPATCH` and `ARRIVE` events of unresolved incidents, oldest first.
    public func operatorActionsOfUnresolvedIncidents() throws -> [AlertEvent] {
        var out: [AlertEvent] = []
        try db.prepare(
            """
            SELECT \(Rows.eventColumns.split(separator: ",").map { "e." + $0.trimmingSpaces() }.joined(separator: ", "))
            FROM incidents i JOIN events e ON e.incident = i.id
            WHERE i.status != 'resolved' AND e.event IN ('ACK', 'DISPATCH', 'ARRIVE')
            ORDER BY e.seq
            """
        ).query { out.append(Rows.event($0)) }
        return out
    }

    /// Events since `since` (wall time), counted by kind and priority.
    public func eventCounts(since: Double) throws -> [EventCount] {
        var out: [EventCount] = []
        try db.prepare("SELECT event, priority, COUNT(*) FROM events WHERE ts >= ?1 GROUP BY event, priority")
            .query([.real(since)]) {
                guard let kind = AlertEvent.Kind(rawValue: $0.text(0)), let priority = Priority(rawValue: $0.text(1))
                else { return }
                out.append(EventCount(kind: kind, priority: priority, count: Int($0.int(2))))
            }
        return out
    }
}

public struct EventCount: Sendable, Equatable {
    public var kind: AlertEvent.Kind
    public var priority: Priority
    public var count: Int

    public init(kind: AlertEvent.Kind, priority: Priority, count: Int) {
        self.kind = kind
        self.priority = priority
        self.count = count
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension StoreReader {
    /// Runs `body`'s reads in one read transaction, so they all see the same committed state
    /// (the status page reads devices, incidents and events one statement after another).
    public func consistently<T>(_ body: () throws -> T) throws -> T {
        try db.execute("BEGIN DEFERRED")
        do {
            let result = try body()
            try db.execute("COMMIT")
            return result
        } catch {
            try? db.execute("ROLLBACK")  // a read transaction: nothing to undo, only to end
            throw error
        }
    }
}
