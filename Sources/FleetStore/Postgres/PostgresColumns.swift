import Foundation
import Postgres
import SQLite

/// Rows as `Rows` builds them (one `[SQLValue]` per row), turned into one array parameter per
/// column, so that a batch is one statement: `INSERT … SELECT * FROM unnest($1::text[], …)`.
/// A batch never holds the same key twice (PostgreSQL refuses an `ON CONFLICT DO UPDATE` that
/// would touch a row twice): rows with a key seen before go to a later round, so the rounds,
/// run in order, do what one statement per row would have done.
struct PostgresColumns {
    /// The element type of each column, in order (`text`, `bigint`, `double precision`).
    let types: [String]

    /// `unnest($1::text[], $2::bigint[], …)`.
    var unnest: String {
        "unnest(" + types.enumerated().map { "$\($0.offset + 1)::\($0.element)[]" }.joined(separator: ", ") + ")"
    }

    /// One parameter per column, each the array of that column's values.
    func parameters(_ rows: [[SQLValue]]) -> [PostgresValue] {
        types.indices.map { column in
            .text(PostgresArray.literal(rows.map { $0[column].postgresText }))
        }
    }

    /// `rows` in rounds whose keys are unique, keeping their order.
    static func rounds<Key: Hashable>(_ rows: [[SQLValue]], key: ([SQLValue]) -> Key) -> [[[SQLValue]]] {
        var rounds: [[[SQLValue]]] = []
        var seen: [Set<Key>] = []
        for row in rows {
            let k = key(row)
            let round = seen.firstIndex { !$0.contains(k) } ?? seen.count
            if round == seen.count {
                seen.append([])
                rounds.append([])
            }
            seen[round].insert(k)
            rounds[round].append(row)
        }
        return rounds
    }
}

extension SQLValue {
    /// The text form of the value in an array literal; nil for NULL.
    var postgresText: String? {
        switch self {
        case .null: nil
        case .integer(let i): String(i)
        case .real(let d): PostgresValue.real(d).wireText
        case .text(let s): s
        case .blob(let b): PostgresBytea.hex(b)
        }
    }

    var postgres: PostgresValue {
        switch self {
        case .null: .null
        case .integer(let i): .integer(i)
        case .real(let d): .real(d)
        case .text(let s): .text(s)
        case .blob(let b): .text(PostgresBytea.hex(b))
        }
    }
}
