/// A reason the daemon cannot start or go on, worded for the operator: it names the key or file
/// involved and what is wrong with it.
struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
