import FleetCore

extension ConfigSchema {
    static var report: ConfigTable<ReportSettings> {
        ConfigTable<ReportSettings>(
            "The inspection report, `fleetwatch report` (SPEC §13).",
            keys: [
                .choice(
                    "language", \.language, ReportLanguage.allCases,
                    "Language of the report when `--lang` is not given; the Chinese title is 巡检报告.")
            ])
    }
}
