/// How durations read in alert messages: `31.2s`, `10s` (one decimal, none when whole).
public enum DurationText {
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)s" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int64(rounded))s" : "\(rounded)s"
    }
}
