/// One history sample (issue 15): every numeric metric of one heartbeat (booleans as 0/1), at the
/// moment the daemon received it (wall clock: the device's own `ts` may be skewed).
public struct HistorySample: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var metric: String
        public var value: Double
        public init(metric: String, value: Double) {
            self.metric = metric
            self.value = value
        }
    }

    public var device: String
    public var time: Double
    public var values: [Value]

    public init(device: String, time: Double, values: [Value]) {
        self.device = device
        self.time = time
        self.values = values
    }
}
