/// "One incident per problem": at most one unresolved incident per key.
public struct IncidentKey: Hashable, Sendable {
    public var rule: RuleID
    public var subject: String

    public init(rule: RuleID, scope: IncidentScope, site: String? = nil, kind: String? = nil, device: String? = nil) {
        self.rule = rule
        switch scope {
        case .device: subject = "device:\(device ?? "")"
        case .site: subject = "site:\(site ?? "")"
        case .kind: subject = "kind:\(site ?? "")/\(kind ?? "")"
        case .fleet: subject = "fleet"
        case .collector: subject = "collector"
        }
    }
}
