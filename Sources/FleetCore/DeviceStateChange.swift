/// One entry of a device's state history: from `time` (wall-clock Unix seconds) on, the device
/// was in `state`. The state is its stored name, not a `DeviceState`, so history written by a
/// newer build (a state this one does not know) still reads back; the inspection report
/// classifies states by name.
public struct DeviceStateChange: Sendable, Equatable {
    public var time: Double
    public var state: String

    public init(time: Double, state: String) {
        self.time = time
        self.state = state
    }

    public init(time: Double, _ state: DeviceState) {
        self.init(time: time, state: state.rawValue)
    }
}
