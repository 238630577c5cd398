/// A received message, valid only for the duration of the callback: libmosquitto frees topic and
/// payload when the callback returns, so a handler that keeps anything must copy it.
public struct MQTTMessageView {
    public let topic: UnsafeBufferPointer<UInt8>
    public let payload: UnsafeRawBufferPointer
    public let retained: Bool
}
