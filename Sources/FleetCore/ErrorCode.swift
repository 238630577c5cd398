/// What a device's error code means: its description, and the priority of the `error` incident
/// it opens (SPEC §11). A code without a priority is described (in `fleetwatch device`) but opens
/// nothing by itself.
public struct ErrorCode: Sendable, Equatable {
    public var text: String
    public var priority: Priority?

    public init(_ text: String, priority: Priority? = nil) {
        self.text = text
        self.priority = priority
    }

    /// The built-in catalogs of the four kinds: the common codes of each, described. A priority
    /// only where the code by itself means the device cannot serve: P1 for a jammed locker door
    /// (a patron's item is held and the compartment is unusable, SPEC §11's own example), P2 for
    /// the others (one device down: "at least one module not working" in the contract's terms).
    /// Codes that degrade but do not stop the device (a hot battery, a camera on a kiosk that
    /// still talks) are described only; the `fault`/`degraded` incident carries them.
    /// `[kinds.NAME.error_codes]` replaces an entry of the same code; the others stay.
    public static let builtIn: [String: [String: ErrorCode]] = [
        "delivery-robot": [
            "E_MOTOR_STALL": ErrorCode("drive motor stalled: the robot cannot move", priority: .p2),
            "E_LIDAR": ErrorCode("lidar not responding: the robot cannot navigate", priority: .p2),
            "E_BATTERY_TEMP": ErrorCode("battery temperature out of range"),
            "E_BUMPER": ErrorCode("bumper pressed: obstacle or collision"),
        ],
        "pickup-locker": [
            "E_DOOR_JAM": ErrorCode("a locker door is jammed", priority: .p1),
            "E_LOCK": ErrorCode("door lock controller not responding: doors cannot be opened", priority: .p2),
            "E_SCANNER": ErrorCode("barcode scanner not responding"),
        ],
        "digital-human": [
            "E_DISPLAY": ErrorCode("display not working: the kiosk cannot be used", priority: .p2),
            "E_CAMERA": ErrorCode("camera not responding"),
            "E_GPU_TEMP": ErrorCode("GPU temperature high"),
            "E_MIC": ErrorCode("microphone not responding"),
        ],
        "face-gate": [
            "E_CAMERA": ErrorCode("camera not responding: faces cannot be recognised", priority: .p2),
            "E_TURNSTILE": ErrorCode("turnstile jammed: the gate cannot open", priority: .p2),
            "E_CARD_READER": ErrorCode("card reader not responding"),
        ],
    ]
}
