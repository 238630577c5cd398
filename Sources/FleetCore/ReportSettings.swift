/// `[report]`: what the inspection report and the status page are written in (SPEC §13, §16).
public struct ReportSettings: Sendable, Equatable {
    /// The report's language when `fleetwatch report` is not given `--lang`, and the status page's.
    public var language = ReportLanguage.zhCN
    public init() {}
}

/// The languages the inspection report and the status page are written in.
public enum ReportLanguage: String, Sendable, Equatable, CaseIterable {
    case zhCN = "zh-CN"
    case en
}
