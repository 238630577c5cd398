/// Why an operator's request was refused; the text is what the CLI prints.
public struct OperatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func notFound(_ id: Int64) -> OperatorError {
        OperatorError(
            "no open incident \(Incident.label(id)) (resolved incidents cannot be changed; see fleetwatch incidents --all)"
        )
    }
}
