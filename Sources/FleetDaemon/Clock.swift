import FleetCore
import Glibc

/// Reads both clocks the engine needs. The only place the daemon asks for the time.
public enum Clock {
    public static func now() -> Moment {
        var mono = timespec()
        var wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &wall)
        return Moment(monotonic: Double(mono.tv_sec) + Double(mono.tv_nsec) / 1e9,
                      wall: Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9)
    }
}
