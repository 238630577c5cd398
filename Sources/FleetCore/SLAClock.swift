/// The contract's deadlines on an incident, by the name its SLA lines carry (`sla=respond`):
/// respond and on-site (SPEC §6), and the repair clock's resolve and plan.
public enum SLAClock: String, Sendable, Equatable, CaseIterable {
    case respond, onsite
    /// The repair clock: resolved within `resolve_within_s` of opening, unless a major part is
    /// needed (then `resolve_by` is gone and `plan` runs: a plan by `plan_by`).
    case resolve, plan
}
