import Foundation

/// One JSON object on one line, the framing of both directions of the control socket. Keys are
/// sorted so a line is the same every time (the reader does not care about their order).
enum ControlLine {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
