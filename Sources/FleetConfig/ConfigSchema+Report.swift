import FleetCore

extension ConfigSchema {
    static var report: ConfigTable<ReportSettings> {
        ConfigTable<ReportSettings>(
            "The inspection report and the status page (SPEC §13, §16).",
            keys: [
                .choice(
                    "language", \.language, ReportLanguage.allCases,
                    "Language of the inspection report when `--lang` is not given (the Chinese title is 巡检报告), "
                        + "and of the status page `/`.")
            ])
    }
}
