/// The strings of every device's record, kept apart from its compact entry (`TrackedDevice`):
/// ids in one arena, sites and kinds interned, with each kind's settings by its index, and the
/// names of the devices that have one. The registry asks it for an entry's strings and puts a
/// `DeviceRecord` together from them (docs/benchmarks.md, round 2, third pass: the ids' heap
/// blocks were worth ~180 B a device at 100,000).
struct DeviceLabels {
    private var ids = DeviceIdArena()
    private var sites = StringTable()
    private var kindNames = StringTable()
    /// The configured kinds; a kind not among them gets default settings.
    private var kinds: [String: KindSettings]
    /// The settings of each kind in `kindNames`, by its index: the per-heartbeat lookups need no
    /// hashing of a kind's name.
    private var kindSettings: [KindSettings] = []
    /// The names of devices that have one (inventory entries).
    private var names: [DeviceSlot: String] = [:]

    init(kinds: [String: KindSettings]) { self.kinds = kinds }

    func isConfigured(kind: String) -> Bool { kinds[kind] != nil }

    /// A reload: every kind's settings again, by index.
    mutating func configure(kinds: [String: KindSettings]) {
        self.kinds = kinds
        kindSettings = kindNames.strings.map { kinds[$0] ?? KindSettings() }
    }

    // MARK: sites and kinds

    func site(_ index: UInt32) -> String { sites[index] }

    func siteIndex(of site: String) -> UInt32? { sites.existingIndex(of: site) }

    mutating func internSite(_ site: String) -> UInt32 { sites.index(of: site) }

    func kindName(_ index: UInt32) -> String { kindNames[index] }

    func settings(ofKind index: UInt32) -> KindSettings { kindSettings[Int(index)] }

    /// The index of kind `name`, with its settings (a kind no longer configured gets defaults).
    mutating func internKind(_ name: String) -> UInt32 {
        let kind = kindNames.index(of: name)
        if Int(kind) == kindSettings.count { kindSettings.append(kinds[name] ?? KindSettings()) }
        return kind
    }

    // MARK: ids and names

    mutating func addID(_ id: String) -> DeviceIdArena.Span { ids.add(id) }

    func id(_ span: DeviceIdArena.Span) -> String { ids.string(span) }

    /// Whether the id at `span` is `bytes` (a topic's), without a `String`.
    func id(_ span: DeviceIdArena.Span, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool { ids.equals(span, bytes) }

    /// The id's hash, as `DeviceIndex` hashes a topic's bytes.
    func idHash(_ span: DeviceIdArena.Span) -> UInt32 { ids.hash(span) }

    func name(_ slot: DeviceSlot) -> String? { names[slot] }

    mutating func setName(_ name: String?, of slot: DeviceSlot) { names[slot] = name }

    /// A forgotten device's id and name go. Once most of the arena's bytes are unused it is
    /// compacted: `spans` (every slot's) are asked for then, and returned moved to their new
    /// places for the registry to store; nil when nothing moved.
    mutating func remove(
        _ slot: DeviceSlot, id span: DeviceIdArena.Span, spans: () -> [DeviceIdArena.Span]
    )
        -> [DeviceIdArena.Span]?
    {
        ids.remove(span)
        names[slot] = nil
        guard ids.worthCompacting else { return nil }
        var moved = spans()
        ids = ids.compacted(&moved)
        return moved
    }
}
