/// A planned period when a device or a whole site is worked on: its devices show `maintenance`
/// and open no incidents; afterwards detection resumes with a fresh grace period. A recurring
/// window (`every`) covers each occurrence of its recurrence between `from` and `until`.
public struct MaintenanceWindow: Sendable, Equatable {
    /// `until` of a recurring window without an end: 9999-12-31T00:00:00Z, a time every store holds
    /// and RFC 3339 writes with four year digits in every zone, so `until` stays a time in JSON.
    public static let noEnd = 253_402_214_400.0

    public var id: Int64
    public var site: String?
    public var device: String?
    /// Wall-clock Unix seconds.
    public var from: Double
    public var until: Double
    public var reason: String?
    public var createdBy: String?
    /// Set when an operator removed the window early.
    public var removedAt: Double?
    /// Recurs on these days and times; nil for a one-off window covering `from` … `until`.
    public var every: MaintenanceRecurrence?

    public init(
        id: Int64 = 0, site: String? = nil, device: String? = nil, from: Double, until: Double,
        reason: String? = nil, createdBy: String? = nil, removedAt: Double? = nil,
        every: MaintenanceRecurrence? = nil
    ) {
        self.every = every
        self.id = id
        self.site = site
        self.device = device
        self.from = from
        self.until = until
        self.reason = reason
        self.createdBy = createdBy
        self.removedAt = removedAt
    }

    /// How far from now a window may start or end: ten years. A window is planned work; a time
    /// beyond that is a typo (`--until 99999999999d`) or an attack (`until = 1e308`), and would
    /// keep its devices silent for good.
    public static let maxHorizonSeconds = 10 * 365.25 * 86_400

    /// `MW-12`: how operators name a window.
    public static func label(_ id: Int64) -> String { "MW-\(id)" }

    public static func parseLabel(_ text: String) -> Int64? {
        let upper = text.uppercased()
        let digits = upper.hasPrefix("MW-") ? String(upper.dropFirst(3)) : upper
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(digits), id > 0 else {
            return nil
        }
        return id
    }

    public var hasEnd: Bool { until < Self.noEnd }

    /// In force at `wall`: within `from` … `until` and, if it recurs, inside an occurrence.
    public func isActive(at wall: Double, clock: LocalClock) -> Bool {
        guard removedAt == nil, from <= wall, wall < until else { return false }
        return every?.covers(wall, clock: clock) ?? true
    }

    /// When the window is in force next: the start of the stretch running now, or of the next
    /// one; nil when none is left before `until`.
    public func nextStart(after wall: Double, clock: LocalClock) -> Double? {
        guard removedAt == nil, wall < until else { return nil }
        guard let every else { return from }
        guard let next = every.current(orNextAfter: max(wall, from), clock: clock), next.start < until else {
            return nil
        }
        return max(next.start, from)
    }

    public func covers(site: String, device: String) -> Bool {
        if let d = self.device { return d == device }
        return self.site == site
    }
}
