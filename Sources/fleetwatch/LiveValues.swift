import FleetControl
import FleetCore
import FleetStore
import Foundation

/// Where `device` and `quality` get what only the daemon keeps in memory: from the running daemon
/// over the control socket, or, when none answers, from the database, where the daemon leaves its
/// last values when it stops (and says as of when on stderr).
struct LiveValues {
    let options: ConfigOptions
    let configuration: Configuration

    /// nil: no daemon answered (stopped, or not reachable); then the database speaks.
    private func ask<T: Decodable>(_ request: ControlRequest, _ type: T.Type) throws(CLIFailure) -> T? {
        let client = ControlClient(path: configuration.control.socket)
        let reply: ControlReply
        do {
            reply = try client.send(request)
        } catch {
            return nil
        }
        switch reply {
        case .failure(let message): throw CLIFailure(message)
        case .success(let message):
            guard let value = ControlDocument.decode(type, from: message) else {
                throw CLIFailure(
                    "fleetwatchd answered \(request.operation.rawValue) in a form this fleetwatch does not read "
                        + "(are both the same version?)")
            }
            return value
        }
    }

    func detail(of id: String) throws -> DeviceDetail {
        if let live = try ask(.device(id: id), DeviceDetail.self) { return live }
        let store = try options.openStore(configuration)
        guard let stored = try store.detail(of: id, windowSeconds: configuration.detection.qualityWindowSeconds) else {
            throw CLIFailure("no device \(id) (see fleetwatch devices)")
        }
        warnStored(try store.detailsAsOf())
        return stored
    }

    func quality(site: String?, kind: String?) throws -> [QualityRow] {
        if let live = try ask(.quality(site: site, kind: kind), [QualityRow].self) {
            return live.sorted(by: QualityRow.worstFirst)
        }
        let store = try options.openStore(configuration)
        let rows = try store.qualityRows(
            site: site, kind: kind, windowSeconds: configuration.detection.qualityWindowSeconds)
        warnStored(try store.detailsAsOf())
        return rows
    }

    private func warnStored(_ asOf: Double?) {
        let time = TimeFormat(zoneIdentifier: configuration.sla.timezone)
        let when =
            asOf.map { "as fleetwatchd left them when it stopped at \(time.format($0))" }
            ?? "none kept (fleetwatchd has not stopped cleanly since it last ran)"
        FileHandle.standardError.write(
            Data(
                "fleetwatch: fleetwatchd is not running: health, uptime, errors, metrics and quality are \(when)\n".utf8
            ))
    }
}
