import FleetCore

extension ConfigSchema {
    static var site: ConfigTable<SiteSettings> {
        ConfigTable<SiteSettings>(
            "A site (a library branch) by its id, as it appears in topics.",
            keys: [
                .optionalText("name", \.name, "Display name."),
                .custom(
                    "schedule", type: "string", range: "a `[schedules.NAME]`",
                    "The site's opening hours (SPEC §10); none: always open.",
                    renderDefault: { $0.schedule.map(ConfigKey<SiteSettings>.quote) ?? "—" }
                ) { r, site in
                    if case .found(let name) = r.string("schedule") { site.schedule = name }
                },
            ])
    }

    static var device: ConfigTable<InventoryDevice> {
        ConfigTable<InventoryDevice>(
            "The inventory: devices known before they are heard. An inventory device not heard within "
                + "`startup_grace_s` of start is offline; devices not listed register with their first heartbeat.",
            keys: [
                .text("id", \.id, "Device id, as in its topics.", rule: .identifier, required: true),
                .text("site", \.site, "Site id.", rule: .identifier, required: true),
                .text(
                    "kind", \.kind, "The device's kind.", rule: TextRule(reference: "a configured kind") { _ in nil },
                    required: true),
                .optionalText("name", \.name, "Display name."),
            ])
    }

    /// Keeps a device whose own keys are valid, whose id is new and whose kind is configured.
    /// `seen` holds every valid id so far, kept or not, so a repeated id is named even when the
    /// first one had another problem.
    static func addDevice(
        _ device: InventoryDevice, to config: inout Configuration, seen: inout Set<String>,
        _ r: TableReader
    ) {
        let problemsBefore = r.problemCount
        if TopicParser.isValidIdentifier(device.id), !seen.insert(device.id).inserted {
            r.problem("id", "\"\(device.id)\" is listed twice; device ids are unique across the fleet")
        }
        if config.kinds[device.kind] == nil {
            r.problem("kind", "\"\(device.kind)\" is not a configured kind")
        }
        guard problemsBefore == 0, r.problemCount == 0 else { return }
        config.devices.append(device)
    }
}
