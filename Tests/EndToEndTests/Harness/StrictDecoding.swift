import Foundation

/// Decoding the CLI's JSON into the test-side shapes of SPEC §8 (the `CLI…` types): a field of
/// the wrong type, or a key the SPEC always prints left out, is an error that names the key,
/// never a silent default.
extension KeyedDecodingContainer {
    /// A key that must be there, its value possibly null. `decodeIfPresent` alone would accept
    /// the key missing, so a dropped key (`"parent"` say) would pass as null.
    func present<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard contains(key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "key missing (may be null, not absent)"))
        }
        return try decodeIfPresent(type, forKey: key)
    }
}

/// JSON text the CLI printed, decoded as `T`; on failure the error quotes the command and its output.
func decodeCLIOutput<T: Decodable>(_ type: T.Type, from output: String, command: [String]) throws -> T {
    do {
        return try JSONDecoder().decode(T.self, from: Data(output.utf8))
    } catch {
        throw HarnessError(
            "fleetwatch \(command.joined(separator: " ")) printed JSON that is not \(T.self): \(error)\n"
                + "output: \(output.prefix(4000))")
    }
}
