import FleetControl
import FleetCore

/// Reading requests (`fleetwatch device`, `fleetwatch quality`), answered from the engine's
/// memory: what only the running daemon knows (health, uptime, error codes, metrics, link quality).
/// The loop only collects the values; encoding them (100,000 quality rows are a few megabytes of
/// JSON) happens on a thread of its own, off the ingest path.
enum ControlReadHandler {
    enum Answer: Sendable {
        case detail(DeviceDetail)
        case quality([QualityRow])
        case failure(String)

        var reply: ControlReply {
            switch self {
            case .detail(let detail): ControlDocument.encode(detail)
            case .quality(let rows): ControlDocument.encode(rows.sorted(by: QualityRow.worstFirst))
            case .failure(let message): .failure(message)
            }
        }
    }

    /// nil for a request that is not a read.
    static func answer(_ request: ControlRequest, from engine: DetectionEngine, at now: Moment) -> Answer? {
        switch request {
        case .device(let id):
            guard let detail = engine.detail(of: id, at: now) else {
                return .failure("no device \(id) (see fleetwatch devices)")
            }
            return .detail(detail)
        case .quality(let site, let kind):
            return .quality(engine.qualityRows(site: site, kind: kind, at: now))
        default:
            return nil
        }
    }
}
