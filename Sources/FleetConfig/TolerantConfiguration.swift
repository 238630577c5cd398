import FleetCore

/// A configuration read for a tool that uses only some of its keys (the CLI): the file's values,
/// with defaults where a key it does not need has a problem, and those problems, so the tool can
/// warn about them once and go on.
public struct TolerantConfiguration: Sendable {
    public let configuration: Configuration
    /// Problems in keys the tool did not ask for, in the loader's order.
    public let ignoredProblems: [ConfigurationError.Problem]
}
