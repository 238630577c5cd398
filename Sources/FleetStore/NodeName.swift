import FleetCore
import SystemCalls

extension HASettings {
    /// `node`, or the host name when it is empty (`[ha] node = ""`, the default); the host name's
    /// first label if the whole of it is not a valid node name. The daemon and the CLI resolve it
    /// the same way, so that `fleetwatch status` on a host shows that host's daemon.
    public var resolvedNode: String {
        guard node.isEmpty else { return node }
        let host = (try? HostName.current()) ?? ""
        if Self.isValidNode(host) { return host }
        let label = String(host.prefix { $0 != "." })
        return Self.isValidNode(label) ? label : "fleetwatchd"
    }

    static func isValidNode(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || "._-".unicodeScalars.contains($0)
            }
    }
}
