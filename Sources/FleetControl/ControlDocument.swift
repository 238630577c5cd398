import FleetCore
import Foundation

/// What the daemon answers a reading request with: a typed value (`DeviceDetail`, `[QualityRow]`)
/// as JSON in the reply's `message`, so the CLI renders it with the same code whether it came from
/// the daemon or from the database. Sorted keys, like every control line.
public enum ControlDocument {
    public static func encode(_ value: some Encodable) -> ControlReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return .success(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            return .failure("the daemon could not encode its answer (\(error))")
        }
    }

    /// The value in a success message; nil when the message is not one (an older daemon).
    public static func decode<T: Decodable>(_ type: T.Type, from message: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(message.utf8))
    }
}
