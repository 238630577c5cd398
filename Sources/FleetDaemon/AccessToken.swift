/// `metrics.bearer_token_file`'s token, and the check of a request's `Authorization` header
/// against it in constant time: how long the comparison takes depends on the token's length
/// only, never on how many leading bytes a guess got right.
struct AccessToken: Sendable, Equatable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `Authorization: Bearer TOKEN` (the scheme is case-insensitive, RFC 9110).
    func admits(authorization: String?) -> Bool {
        guard let authorization else { return false }
        let scheme = "bearer "
        let given = Array(authorization.utf8)
        guard given.count >= scheme.utf8.count,
            String(decoding: given.prefix(scheme.utf8.count), as: UTF8.self).lowercased() == scheme
        else { return false }
        var candidate = given.dropFirst(scheme.utf8.count)
        while candidate.first == UInt8(ascii: " ") { candidate = candidate.dropFirst() }
        return Self.constantTimeEqual(Array(candidate), bytes)
    }

    /// Compares every byte of `expected` whatever `given` holds; lengths that differ fail too.
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: given.count ^ expected.count)
        difference |= given.count == expected.count ? 0 : 1
        for i in 0..<expected.count {
            let g = i < given.count ? given[i] : 0
            difference |= g ^ expected[i]
        }
        return difference == 0
    }
}
