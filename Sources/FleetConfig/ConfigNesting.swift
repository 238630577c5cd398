import FleetCore

/// A table inside a table, in the three shapes TOML configuration takes:
/// - `table`: one fixed table (`[mqtt]`, later `[report]`, `[ha]`);
/// - `namedTables`: a table of tables keyed by a name the operator chooses (`[kinds.NAME]`,
///   `[sites.NAME]`, later `[schedules.NAME]`, `[kinds.NAME.error_codes]`);
/// - `tableArray`: an array of tables (`[[devices]]`, `[[kinds.NAME.rules]]`, later `[[notify]]`,
///   `[[kinds.NAME.forecasts]]`).
/// Each reads into a part of `Root` and describes itself for the reference.
struct ConfigNesting<Root> {
    let read: (TableReader, inout Root) -> Void
    /// The reference sections, given the parent's dotted path and default settings.
    let reference: (_ parentPrefix: String, _ defaults: Root) -> [ConfigurationReference.Section]

    static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    /// A fixed table at `name`, read into `root[keyPath: path]`.
    static func table<Sub>(
        _ name: String, _ path: WritableKeyPath<Root, Sub>,
        _ schema: ConfigTable<Sub>
    ) -> ConfigNesting {
        ConfigNesting(
            read: { r, root in
                guard let t = r.subtable(name) else { return }
                schema.read(r.reader(for: t, at: r.key(name)), into: &root[keyPath: path])
            },
            reference: { prefix, defaults in
                let full = join(prefix, name)
                return schema.reference(heading: "[\(full)]", prefix: full, defaults: defaults[keyPath: path])
            })
    }

    /// Tables keyed by a name (`[kinds.NAME]`): each name must be an identifier (`naming` says
    /// what it names, for the problem), and a name already present (a built-in kind) is updated
    /// rather than replaced, so keys that are left out keep its values; with `replacing`, a listed
    /// name starts from `new` instead (an error code replaces the built-in entry of that code).
    /// `placeholder` stands for the name in the reference.
    static func namedTables<Sub>(
        _ name: String, _ path: WritableKeyPath<Root, [String: Sub]>, naming: String,
        placeholder: String = "NAME", replacing: Bool = false,
        new: @escaping (String) -> Sub, _ schema: ConfigTable<Sub>
    ) -> ConfigNesting {
        ConfigNesting(
            read: { r, root in
                guard let t = r.subtable(name) else { return }
                let names = r.reader(for: t, at: r.key(name))
                for entry in t.keys.sorted() {
                    guard TopicParser.isValidIdentifier(entry) else {
                        names.problem(entry, "is not a valid \(naming) ([A-Za-z0-9_-]{1,64})")
                        continue
                    }
                    guard let table = t[entry]?.table else {
                        names.problem(entry, "must be a table")
                        continue
                    }
                    var value = replacing ? new(entry) : root[keyPath: path][entry] ?? new(entry)
                    schema.read(names.reader(for: table, at: names.key(entry)), into: &value)
                    root[keyPath: path][entry] = value
                }
            },
            reference: { prefix, _ in
                let full = join(prefix, name) + "." + placeholder
                return schema.reference(heading: "[\(full)]", prefix: full, defaults: new(placeholder))
            })
    }

    /// An array of tables (`[[devices]]`): each item is read into `new()` and handed to `add`,
    /// which keeps it (or not) and checks it against the rest of `Root` (the kind configured);
    /// `add` gets the item's reader to name problems and count them, and `State` that lives for
    /// one read of the array (the ids seen so far, for uniqueness). `rules` states what `add`
    /// enforces, for the reference.
    static func tableArray<Item, State>(
        _ name: String, new: @escaping () -> Item, _ schema: ConfigTable<Item>,
        rules: [String] = [], state: @escaping () -> State,
        add: @escaping (Item, inout Root, inout State, TableReader) -> Void
    )
        -> ConfigNesting
    {
        ConfigNesting(
            read: { r, root in
                guard let tables = r.tableArray(name) else { return }
                var current = state()
                for (index, table) in tables {
                    let itemReader = r.reader(for: table, at: "\(r.key(name))[\(index)]")
                    var item = new()
                    schema.read(itemReader, into: &item)
                    add(item, &root, &current, itemReader)
                }
            },
            reference: { prefix, _ in
                let full = join(prefix, name)
                return schema.reference(heading: "[[\(full)]]", prefix: full + "[]", defaults: new(), extraRules: rules)
            })
    }

    /// An array of tables whose items need no state across the array.
    static func tableArray<Item>(
        _ name: String, new: @escaping () -> Item, _ schema: ConfigTable<Item>,
        rules: [String] = [],
        add: @escaping (Item, inout Root, TableReader) -> Void
    ) -> ConfigNesting {
        tableArray(name, new: new, schema, rules: rules, state: {}) { item, root, _, reader in
            add(item, &root, reader)
        }
    }
}
