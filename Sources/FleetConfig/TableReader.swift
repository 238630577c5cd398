import TOMLKit

/// Reads typed values out of one TOML table, recording a problem (with the full dotted key) for
/// every wrong type or out-of-range value and, at the end, for every key nobody asked about.
final class TableReader {
    let table: TOMLTable
    let path: String
    private var known: Set<String> = []
    private let report: (String, String) -> Void

    init(_ table: TOMLTable, path: String, report: @escaping (String, String) -> Void) {
        self.table = table
        self.path = path
        self.report = report
    }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func problem(_ name: String, _ reason: String) { report(key(name), reason) }

    private func value(_ name: String) -> TOMLValueConvertible? {
        known.insert(name)
        return table[name]
    }

    func string(_ name: String, _ fallback: String) -> String {
        guard let v = value(name) else { return fallback }
        guard let s = v.string else {
            problem(name, "must be a string (got \(v.type))")
            return fallback
        }
        return s
    }

    func optionalString(_ name: String) -> String? {
        guard let v = value(name) else { return nil }
        guard let s = v.string else {
            problem(name, "must be a string (got \(v.type))")
            return nil
        }
        return s
    }

    func bool(_ name: String, _ fallback: Bool) -> Bool {
        guard let v = value(name) else { return fallback }
        guard let b = v.bool else {
            problem(name, "must be true or false (got \(v.type))")
            return fallback
        }
        return b
    }

    /// A number (integer or float) that must satisfy `valid`, described by `rule` ("must be > 0").
    func number(_ name: String, _ fallback: Double, _ rule: String, _ valid: (Double) -> Bool) -> Double {
        guard let v = value(name) else { return fallback }
        let n: Double
        if let i = v.int {
            n = Double(i)
        } else if let d = v.double {
            n = d
        } else {
            problem(name, "must be a number (got \(v.type))")
            return fallback
        }
        guard n.isFinite, valid(n) else {
            problem(name, "\(rule) (got \(Self.show(n)))")
            return fallback
        }
        return n
    }

    func integer(_ name: String, _ fallback: Int, _ rule: String, _ valid: (Int) -> Bool) -> Int {
        guard let v = value(name) else { return fallback }
        guard let i = v.int else {
            problem(name, "must be an integer (got \(v.type))")
            return fallback
        }
        guard valid(i) else {
            problem(name, "\(rule) (got \(i))")
            return fallback
        }
        return i
    }

    func stringArray(_ name: String) -> [String]? {
        guard let v = value(name) else { return nil }
        guard let array = v.array else {
            problem(name, "must be an array of strings (got \(v.type))")
            return nil
        }
        var out: [String] = []
        for (i, item) in array.enumerated() {
            guard let s = item.string else {
                problem("\(name)[\(i)]", "must be a string (got \(item.type))")
                return nil
            }
            out.append(s)
        }
        return out
    }

    func subtable(_ name: String) -> TOMLTable? {
        guard let v = value(name) else { return nil }
        guard let t = v.table else {
            problem(name, "must be a table (got \(v.type))")
            return nil
        }
        return t
    }

    func tableArray(_ name: String) -> [TOMLTable]? {
        guard let v = value(name) else { return nil }
        guard let array = v.array else {
            problem(name, "must be an array of tables (got \(v.type))")
            return nil
        }
        var out: [TOMLTable] = []
        for (i, item) in array.enumerated() {
            guard let t = item.table else {
                problem("\(name)[\(i)]", "must be a table (got \(item.type))")
                continue
            }
            out.append(t)
        }
        return out
    }

    /// Marks a key as handled elsewhere (tables whose keys are names, like `kinds`).
    func touch(_ name: String) { known.insert(name) }

    /// Reports keys that are not part of the schema: a typo must not silently fall back to a default.
    func finish() {
        for name in table.keys.sorted() where !known.contains(name) {
            problem(name, "is not a known key")
        }
    }

    static func show(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) }
}
