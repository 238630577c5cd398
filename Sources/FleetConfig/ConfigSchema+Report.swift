import FleetCore

extension ConfigSchema {
    static var report: ConfigTable<ReportSettings> {
        ConfigTable<ReportSettings>(
            "The inspection report and the status page (SPEC §13, §16).",
            keys: [
                .choice(
                    "language", \.language, ReportSettings.Language.allCases,
                    "Language of the inspection report and of the status page `/`.")
            ])
    }
}
