/// A planned period when a device or a whole site is worked on: its devices show `maintenance`
/// and open no incidents; afterwards detection resumes with a fresh grace period.
public struct MaintenanceWindow: Sendable, Equatable {
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

    public init(id: Int64 = 0, site: String? = nil, device: String? = nil, from: Double, until: Double,
                reason: String? = nil, createdBy: String? = nil, removedAt: Double? = nil) {
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

    public func isActive(at wall: Double) -> Bool { removedAt == nil && from <= wall && wall < until }

    public func covers(site: String, device: String) -> Bool {
        if let d = self.device { return d == device }
        return self.site == site
    }
}
