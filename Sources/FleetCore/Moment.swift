/// When something happened, on both clocks: `monotonic` for durations and liveness (never jumps),
/// `wall` (Unix seconds) for what is stored and shown. The engine never reads a clock itself.
public struct Moment: Sendable, Equatable {
    public var monotonic: Double
    public var wall: Double
    public init(monotonic: Double, wall: Double) {
        self.monotonic = monotonic
        self.wall = wall
    }

    public func advanced(by seconds: Double) -> Moment {
        Moment(monotonic: monotonic + seconds, wall: wall + seconds)
    }
}
