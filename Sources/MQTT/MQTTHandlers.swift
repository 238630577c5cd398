/// Callbacks run on libmosquitto's network thread. They must not block for long and must not
/// touch state owned by another thread without synchronisation.
public struct MQTTHandlers: Sendable {
    /// CONNACK arrived; 0 means accepted, anything else is a refusal code.
    public var connected: @Sendable (_ code: Int32) -> Void = { _ in }
    /// The connection is gone; 0 means we asked for it.
    public var disconnected: @Sendable (_ code: Int32) -> Void = { _ in }
    public var message: @Sendable (MQTTMessageView) -> Void = { _ in }
    /// libmosquitto's own warnings and errors (TLS handshake failures surface only here).
    public var log: @Sendable (_ isError: Bool, _ text: String) -> Void = { _, _ in }
    public init() {}
}
