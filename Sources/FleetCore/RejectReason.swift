/// Why an MQTT message changed nothing. The raw values are the `reason` label of
/// `fleetwatch_messages_total` and the keys of `fleetwatch status --json`.
public enum RejectReason: String, Sendable, CaseIterable, Equatable {
    case badTopic = "bad_topic"
    case unknownKind = "unknown_kind"
    case tooLarge = "too_large"
    case badJSON = "bad_json"
    case badField = "bad_field"
    case badStatus = "bad_status"
    case inventoryMismatch = "inventory_mismatch"
    case deviceLimit = "device_limit"
    /// A status from a device never heard: only a heartbeat registers one.
    case unknownDevice = "unknown_device"
}

/// A rejection with a human-readable detail for the (rate-limited) daemon log. The detail never
/// quotes the payload itself.
public struct Rejection: Error, Sendable, Equatable {
    public let reason: RejectReason
    public let detail: String
    public init(_ reason: RejectReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
