/// "One incident per problem": at most one unresolved incident per key.
public struct IncidentKey: Hashable, Sendable {
    public var rule: RuleID
    public var subject: String

    /// `code`: an `error` incident is one per device and error code.
    public init(
        rule: RuleID, scope: IncidentScope, site: String? = nil, kind: String? = nil, device: String? = nil,
        code: String? = nil
    ) {
        self.rule = rule
        switch scope {
        case .device: subject = "device:\(device ?? "")" + (code.map { "#" + $0 } ?? "")
        case .site: subject = "site:\(site ?? "")"
        case .kind: subject = "kind:\(site ?? "")/\(kind ?? "")"
        case .fleet: subject = "fleet"
        case .collector: subject = "collector"
        }
    }
}
