/// What the detection engine asks the outside world to do. The daemon commits every `save…` and
/// `announce` of one step in a single transaction, then writes the announced lines.
///
/// The large payloads are boxed (`indirect`): an effect is as wide as its widest inline case, and
/// with `Incident` inline (~400 B) a burst of 100,000 registrations held 40 MB of `saveDevice`
/// effects twice over (the pass's effects and the commit's pending list). Boxed, an effect is a
/// `DeviceRecord` wide, and incidents, alert events and windows are rare next to heartbeats.
public enum EngineEffect: Sendable, Equatable {
    case saveDevice(DeviceRecord)
    indirect case saveIncident(Incident)
    indirect case announce(AlertEvent)
    indirect case saveMaintenance(MaintenanceWindow)
    /// The device with this id was forgotten (`detection.forget_after_s`): its row goes.
    case forgetDevice(String)
    /// A device's forecast, for `fleetwatch device` (issue 15).
    indirect case saveForecast(ForecastStatus)
}

/// What the engine starts from after a restart: the registry and the unresolved incidents as the
/// database holds them.
public struct RestoredState: Sendable {
    public var devices: [DeviceRecord]
    public var unresolvedIncidents: [Incident]
    /// The smallest id never used; ids are never reused.
    public var nextIncidentID: Int64
    /// (device, opened at) of device incidents inside `repeat_window_s`, for `repeated-failure`.
    public var recentFailures: [(String, Double)]
    /// Maintenance windows not removed and not yet over.
    public var maintenance: [MaintenanceWindow] = []
    public var nextMaintenanceID: Int64 = 1

    public init(
        devices: [DeviceRecord] = [], unresolvedIncidents: [Incident] = [], nextIncidentID: Int64 = 1,
        recentFailures: [(String, Double)] = []
    ) {
        self.devices = devices
        self.unresolvedIncidents = unresolvedIncidents
        self.nextIncidentID = nextIncidentID
        self.recentFailures = recentFailures
    }
}
