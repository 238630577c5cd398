/// `[report]`: the inspection report (SPEC §13).
public struct ReportSettings: Sendable, Equatable {
    /// The report's language when `fleetwatch report` is not given `--lang`.
    public var language = ReportLanguage.zhCN
    public init() {}
}

/// The languages the inspection report is written in.
public enum ReportLanguage: String, Sendable, Equatable, CaseIterable {
    case zhCN = "zh-CN"
    case en
}
