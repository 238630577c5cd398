import FleetControl
import FleetCore
import FleetStore
import Foundation

/// Where `device` and `quality` get what only the daemon keeps in memory: from the running daemon
/// over the control socket, or, when none answers, from the database, where the daemon leaves its
/// last values when it stops (and says so, and as of when, on stderr).
struct LiveValues {
    let options: ConfigOptions
    let configuration: Configuration

    /// What asking the daemon gave: its answer, or why there is none (then the database speaks).
    private enum Asked<T> {
        case answered(T)
        case noDaemon(String)
    }

    private func ask<T: Decodable>(_ request: ControlRequest, _ type: T.Type) throws(CLIFailure) -> Asked<T> {
        let reply: ControlReply
        do {
            reply = try ControlClient(path: configuration.control.socket).send(request)
        } catch {
            return .noDaemon(error.description)
        }
        switch reply {
        case .failure(let message): throw CLIFailure(message)
        case .success(let message):
            guard let value = ControlDocument.decode(type, from: message) else {
                throw CLIFailure(
                    "fleetwatchd answered \(request.operation.rawValue) in a form this fleetwatch does not read "
                        + "(are both the same version?)")
            }
            return .answered(value)
        }
    }

    func detail(of id: String) throws -> DeviceDetail {
        let reason: String
        switch try ask(.device(id: id), DeviceDetail.self) {
        case .answered(let live): return live
        case .noDaemon(let why): reason = why
        }
        let store = try options.openStore(configuration)
        guard let stored = try store.detail(of: id, windowSeconds: configuration.detection.qualityWindowSeconds) else {
            throw CLIFailure("no device \(TextSafety.forTerminal(id)) (see fleetwatch devices)")
        }
        warnStored(reason, asOf: try store.detailsAsOf())
        return stored
    }

    func quality(site: String?, kind: String?) throws -> [QualityRow] {
        let reason: String
        switch try ask(.quality(site: site, kind: kind), [QualityRow].self) {
        case .answered(let live): return live.sorted(by: QualityRow.worstFirst)
        case .noDaemon(let why): reason = why
        }
        let store = try options.openStore(configuration)
        let rows = try store.qualityRows(
            site: site, kind: kind, windowSeconds: configuration.detection.qualityWindowSeconds)
        warnStored(reason, asOf: try store.detailsAsOf())
        return rows
    }

    private func warnStored(_ reason: String, asOf: Double?) {
        let time = TimeFormat(zoneIdentifier: configuration.sla.timezone)
        let values =
            "health, uptime, errors, metrics and quality are "
            + (asOf.map { "as fleetwatchd left them when it stopped at \(time.format($0))" }
                ?? "not known (fleetwatchd has not stopped cleanly since it last ran)")
        FileHandle.standardError.write(Data("fleetwatch: \(reason); \(values)\n".utf8))
    }
}
