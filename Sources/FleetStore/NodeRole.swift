/// What a daemon is to the database it shares (SPEC §15): `single` without `[ha]`, else the one
/// `active` node (it holds the advisory lock, writes and announces) or a `standby` (it tracks
/// every device in memory and writes nothing but its own status row).
public enum NodeRole: String, Sendable, Equatable, CaseIterable {
    case active
    case standby
    case single
}
