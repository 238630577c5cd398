import FleetCore
import SystemCalls

/// Reads both clocks the engine needs. The only place the daemon asks for the time.
public enum Clock {
    public static func now() -> Moment {
        Moment(monotonic: SystemClock.monotonicSeconds(), wall: SystemClock.realtimeSeconds())
    }
}
