import FleetCore

/// The kinds of key the configuration has. Each constructor reads one TOML type, applies its
/// rule, and describes itself for the reference; a new key is one call to one of these.
extension ConfigKey {
    /// A duration in seconds (SPEC §4: fractions allowed).
    static func seconds(
        _ name: String, _ path: WritableKeyPath<Root, Double>, _ range: NumberRange,
        _ meaning: String
    ) -> ConfigKey {
        number(name, path, range, meaning, type: "seconds")
    }

    /// A number (integer or float) within `range`.
    static func number(
        _ name: String, _ path: WritableKeyPath<Root, Double>, _ range: NumberRange, _ meaning: String,
        type: String = "number"
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: type, range: range.reference(seconds: type == "seconds"), meaning: meaning,
            renderDefault: { TableReader.show($0[keyPath: path]) }
        ) { r, root in
            if let n = Self.checked(r, name, range) { root[keyPath: path] = n }
        }
    }

    /// A number that may be left out (a rule's `below`): no default.
    static func optionalNumber(
        _ name: String, _ path: WritableKeyPath<Root, Double?>, _ range: NumberRange,
        _ meaning: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "number", range: range.reference(seconds: false), meaning: meaning,
            renderDefault: { $0[keyPath: path].map(TableReader.show) ?? "—" }
        ) { r, root in
            if let n = Self.checked(r, name, range) { root[keyPath: path] = n }
        }
    }

    /// Whole seconds (MQTT's keepalive): a fraction is accepted, as for every duration, and rounded up.
    static func wholeSeconds(
        _ name: String, _ path: WritableKeyPath<Root, Int>, _ range: NumberRange,
        _ meaning: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "seconds", range: range.reference(seconds: false), meaning: meaning,
            renderDefault: { String($0[keyPath: path]) }
        ) { r, root in
            if let n = Self.checked(r, name, range) { root[keyPath: path] = Int(n.rounded(.up)) }
        }
    }

    /// A count: an integer within `range`.
    static func count(
        _ name: String, _ path: WritableKeyPath<Root, Int>, _ range: ClosedRange<Int>,
        _ meaning: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "integer", range: "\(range.lowerBound) – \(range.upperBound)", meaning: meaning,
            renderDefault: { String($0[keyPath: path]) }
        ) { r, root in
            guard case .found(let i) = r.integer(name) else { return }
            guard range.contains(i) else {
                r.problem(name, "must be \(range.lowerBound)-\(range.upperBound) (got \(i))")
                return
            }
            root[keyPath: path] = i
        }
    }

    static func flag(_ name: String, _ path: WritableKeyPath<Root, Bool>, _ meaning: String) -> ConfigKey {
        ConfigKey(
            name: name, type: "boolean", range: "`true`, `false`", meaning: meaning,
            renderDefault: { String($0[keyPath: path]) }
        ) { r, root in
            if case .found(let b) = r.bool(name) { root[keyPath: path] = b }
        }
    }

    /// A string; `rule` is checked on the value the key ends up with (given or default), so a
    /// required key that is missing is named too.
    static func text(
        _ name: String, _ path: WritableKeyPath<Root, String>, _ meaning: String, rule: TextRule = .any,
        type: String = "string", required: Bool = false
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: type, range: rule.reference, meaning: meaning,
            renderDefault: { required ? "required" : Self.quote($0[keyPath: path]) }
        ) { r, root in
            switch r.string(name) {
            case .wrongType: return
            case .absent: break
            case .found(let s): root[keyPath: path] = s
            }
            if let reason = rule.check(root[keyPath: path]) { r.problem(name, reason) }
        }
    }

    /// A string that may be left out (a display name).
    static func optionalText(_ name: String, _ path: WritableKeyPath<Root, String?>, _ meaning: String) -> ConfigKey {
        ConfigKey(
            name: name, type: "string", range: "any", meaning: meaning,
            renderDefault: { $0[keyPath: path].map(Self.quote) ?? "—" }
        ) { r, root in
            if case .found(let s) = r.string(name) { root[keyPath: path] = s }
        }
    }

    /// One of `cases`, by raw value; `normalize` lets `p1` stand for `P1`.
    static func choice<Choice: RawRepresentable>(
        _ name: String, _ path: WritableKeyPath<Root, Choice>, _ cases: [Choice], _ meaning: String,
        normalize: @escaping (String) -> String = { $0 }
    ) -> ConfigKey where Choice.RawValue == String {
        let names = cases.map { "\"\($0.rawValue)\"" }
        let listed =
            names.count > 1
            ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
        return ConfigKey(
            name: name, type: "string", range: names.map { "`\($0)`" }.joined(separator: ", "),
            meaning: meaning, renderDefault: { Self.quote($0[keyPath: path].rawValue) }
        ) { r, root in
            guard case .found(let s) = r.string(name) else { return }
            guard let value = Choice(rawValue: normalize(s)),
                cases.contains(where: { $0.rawValue == value.rawValue })
            else {
                r.problem(name, "must be \(listed) (got \"\(s)\")")
                return
            }
            root[keyPath: path] = value
        }
    }

    /// One of `cases` or nothing (an error code's priority): no default.
    static func optionalChoice<Choice: RawRepresentable>(
        _ name: String, _ path: WritableKeyPath<Root, Choice?>, _ cases: [Choice], _ meaning: String,
        normalize: @escaping (String) -> String = { $0 }
    ) -> ConfigKey where Choice.RawValue == String {
        let names = cases.map { "\"\($0.rawValue)\"" }
        let listed =
            names.count > 1
            ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
        let renderDefault: (Root) -> String = { $0[keyPath: path].map { Self.quote($0.rawValue) } ?? "—" }
        return ConfigKey(
            name: name, type: "string", range: names.map { "`\($0)`" }.joined(separator: ", "),
            meaning: meaning, renderDefault: renderDefault
        ) { r, root in
            guard case .found(let s) = r.string(name) else { return }
            guard let value = Choice(rawValue: normalize(s)),
                cases.contains(where: { $0.rawValue == value.rawValue })
            else {
                r.problem(name, "must be \(listed) (got \"\(s)\")")
                return
            }
            root[keyPath: path] = value
        }
    }

    /// A key with its own reading (lists of days, service hours, a rule's `equals`).
    static func custom(
        _ name: String, type: String, range: String, _ meaning: String,
        renderDefault: @escaping (Root) -> String,
        read: @escaping (TableReader, inout Root) -> Void
    ) -> ConfigKey {
        ConfigKey(name: name, type: type, range: range, meaning: meaning, renderDefault: renderDefault, read: read)
    }

    /// The number at `name` if it is one and in range; otherwise the problem is reported.
    static func checked(_ r: TableReader, _ name: String, _ range: NumberRange) -> Double? {
        guard case .found(let n) = r.number(name) else { return nil }
        guard range.contains(n) else {
            r.problem(name, "\(range.rule) (got \(TableReader.show(n)))")
            return nil
        }
        return n
    }

    static func quote(_ text: String) -> String { "\"\(text)\"" }

    static func quote(_ list: [String]) -> String { "[" + list.map(quote).joined(separator: ", ") + "]" }
}

/// What a string key accepts beyond being a string.
struct TextRule: Sendable {
    /// For the reference.
    let reference: String
    /// The reason a value is refused (`must not be empty`), or nil.
    let check: @Sendable (String) -> String?

    static let any = TextRule(reference: "any") { _ in nil }
    static let nonEmpty = TextRule(reference: "not empty") { $0.isEmpty ? "must not be empty" : nil }
    /// Site and device ids (SPEC §3).
    static let identifier = TextRule(reference: "`[A-Za-z0-9_-]{1,64}`") {
        TopicParser.isValidIdentifier($0) ? nil : "must match [A-Za-z0-9_-]{1,64} (got \"\($0)\")"
    }
}
