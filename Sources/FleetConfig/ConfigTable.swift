/// One table of the configuration file as the key table describes it: its keys, the tables inside
/// it (`ConfigNesting`), and the rules that relate its keys to each other. Reading applies all
/// three in that order, then names every key the table does not know.
struct ConfigTable<Root> {
    /// One line for the reference, under the table's heading.
    let summary: String
    let keys: [ConfigKey<Root>]
    let nested: [ConfigNesting<Root>]
    let checks: [ConfigCheck<Root>]
    /// Markdown paragraphs for the reference, after the key table (built-in kinds, …).
    let notes: [String]

    init(
        _ summary: String, keys: [ConfigKey<Root>] = [], nested: [ConfigNesting<Root>] = [],
        checks: [ConfigCheck<Root>] = [], notes: [String] = []
    ) {
        self.summary = summary
        self.keys = keys
        self.nested = nested
        self.checks = checks
        self.notes = notes
    }

    func read(_ reader: TableReader, into root: inout Root) {
        for key in keys { key.read(reader, &root) }
        for table in nested { table.read(reader, &root) }
        for check in checks { check.apply(reader, root) }
        reader.finish()
    }

    /// This table's section of the reference, then its nested tables' sections.
    /// `prefix` is the dotted path of the table (`mqtt`, `kinds.NAME`, `devices[]`).
    func reference(
        heading: String, prefix: String, defaults: Root,
        extraRules: [String] = []
    ) -> [ConfigurationReference.Section] {
        let rows = keys.map {
            ConfigurationReference.Row(
                key: prefix.isEmpty ? $0.name : "\(prefix).\($0.name)", type: $0.type,
                defaultValue: $0.renderDefault(defaults), range: $0.range, meaning: $0.meaning)
        }
        var sections: [ConfigurationReference.Section] = []
        let rules = checks.map(\.rule) + extraRules
        if !rows.isEmpty || !rules.isEmpty || !notes.isEmpty {
            sections.append(.init(heading: heading, summary: summary, rows: rows, rules: rules, notes: notes))
        }
        for table in nested { sections += table.reference(prefix, defaults) }
        return sections
    }
}

/// A rule across keys of one table (`tls_cert_file` needs `tls_key_file`): checked after the
/// keys are read, stated once for the loader and the reference.
struct ConfigCheck<Root> {
    /// For the reference: the rule as a sentence.
    let rule: String
    /// Reports a problem through the reader when the rule does not hold.
    let apply: (TableReader, Root) -> Void

    init(_ rule: String, _ apply: @escaping (TableReader, Root) -> Void) {
        self.rule = rule
        self.apply = apply
    }
}
