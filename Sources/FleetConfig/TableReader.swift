import TOMLKit

/// What one key of a table holds, once its TOML type has been checked.
enum Lookup<Value> {
    /// The key is not in the file: the default stays.
    case absent
    /// The key has the wrong TOML type; the problem is already reported and the default stays.
    case wrongType
    case found(Value)
}

/// Reads typed values out of one TOML table, recording a problem (with the full dotted key) for
/// every wrong type and, at the end, for every key nobody asked about. Ranges and other rules are
/// the key table's business (`ConfigKey`); this type only knows TOML.
final class TableReader {
    let table: TOMLTable
    let path: String
    /// Problems reported through this reader: an array item with problems is not kept.
    private(set) var problemCount = 0
    private var known: Set<String> = []
    private let report: (String, String) -> Void

    init(_ table: TOMLTable, path: String, report: @escaping (String, String) -> Void) {
        self.table = table
        self.path = path
        self.report = report
    }

    /// The full dotted key of `name` in this table, as problems name it.
    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func problem(_ name: String, _ reason: String) {
        problemCount += 1
        report(key(name), reason)
    }

    /// A reader for a table inside this one, at `path`, reporting to the same list.
    func reader(for table: TOMLTable, at path: String) -> TableReader {
        TableReader(table, path: path, report: report)
    }

    /// The raw value, marking the key as part of the schema.
    func value(_ name: String) -> TOMLValueConvertible? {
        known.insert(name)
        return table[name]
    }

    func string(_ name: String) -> Lookup<String> {
        guard let v = value(name) else { return .absent }
        guard let s = v.string else {
            problem(name, "must be a string (got \(v.type))")
            return .wrongType
        }
        return .found(s)
    }

    func bool(_ name: String) -> Lookup<Bool> {
        guard let v = value(name) else { return .absent }
        guard let b = v.bool else {
            problem(name, "must be true or false (got \(v.type))")
            return .wrongType
        }
        return .found(b)
    }

    /// An integer or a float, as a Double.
    func number(_ name: String) -> Lookup<Double> {
        guard let v = value(name) else { return .absent }
        if let i = v.int { return .found(Double(i)) }
        if let d = v.double { return .found(d) }
        problem(name, "must be a number (got \(v.type))")
        return .wrongType
    }

    func integer(_ name: String) -> Lookup<Int> {
        guard let v = value(name) else { return .absent }
        guard let i = v.int else {
            problem(name, "must be an integer (got \(v.type))")
            return .wrongType
        }
        return .found(i)
    }

    func stringArray(_ name: String) -> Lookup<[String]> {
        guard let v = value(name) else { return .absent }
        guard let array = v.array else {
            problem(name, "must be an array of strings (got \(v.type))")
            return .wrongType
        }
        var out: [String] = []
        for (i, item) in array.enumerated() {
            guard let s = item.string else {
                problem("\(name)[\(i)]", "must be a string (got \(item.type))")
                return .wrongType
            }
            out.append(s)
        }
        return .found(out)
    }

    func subtable(_ name: String) -> TOMLTable? {
        guard let v = value(name) else { return nil }
        guard let t = v.table else {
            problem(name, "must be a table (got \(v.type))")
            return nil
        }
        return t
    }

    /// The tables of an array of tables with their positions; an item that is not a table is
    /// reported and skipped.
    func tableArray(_ name: String) -> [(index: Int, table: TOMLTable)]? {
        guard let v = value(name) else { return nil }
        guard let array = v.array else {
            problem(name, "must be an array of tables (got \(v.type))")
            return nil
        }
        var out: [(index: Int, table: TOMLTable)] = []
        for (i, item) in array.enumerated() {
            guard let t = item.table else {
                problem("\(name)[\(i)]", "must be a table (got \(item.type))")
                continue
            }
            out.append((i, t))
        }
        return out
    }

    /// Reports keys that are not part of the schema: a typo must not silently fall back to a default.
    func finish() {
        for name in table.keys.sorted() where !known.contains(name) {
            problem(name, "is not a known key")
        }
    }

    /// A number as problems and the reference show it: whole numbers without a fraction.
    static func show(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) }
}
