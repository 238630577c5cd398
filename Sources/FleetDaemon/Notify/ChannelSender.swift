import FleetCore
import Foundation

/// Sends what a channel is to send, the way its type sends it, and judges the answer: 2xx (and,
/// for a WeCom or DingTalk robot, `errcode` 0 in the answer: robots answer 200 to a refused
/// message) is delivered; anything else is a failure that the channel retries.
struct ChannelSender: Sendable {
    let channel: NotifyChannel
    /// The signing secret from `secret_file`, without its trailing newline; nil when not set.
    let secret: [UInt8]?
    let poster: HTTPPoster
    let runner: CommandRunner

    /// One event: a webhook POST or a command run. (Alertmanager takes alerts: `sendAlerts`.)
    func send(_ n: NotifyMessage, rendering body: NotificationBody) -> Result<Void, NotifyFailure> {
        switch channel.type {
        case .webhook:
            let bytes = Array(body.render(n, channel.format).utf8)
            return post(to: channel.url, bytes, headers: [("Idempotency-Key", n.id), ("X-Fleetwatch-Event", n.event)])
        case .command:
            var environment = [
                "FLEETWATCH_NOTIFY_ID": n.id, "FLEETWATCH_EVENT": n.event,
                "FLEETWATCH_PRIORITY": n.priority.rawValue, "FLEETWATCH_CHANNEL": channel.name,
            ]
            if let incident = n.incidentLabel { environment["FLEETWATCH_INCIDENT"] = incident }
            return runner.run(
                channel.command, body: Array(body.json(n).utf8), environment: environment,
                timeout: channel.timeoutSeconds)
        case .alertmanager:
            return .failure(NotifyFailure("alertmanager channels send alerts, not events"))
        }
    }

    /// A JSON array of alerts to `URL/api/v2/alerts`.
    func sendAlerts(_ json: String) -> Result<Void, NotifyFailure> {
        let base = channel.url.hasSuffix("/") ? String(channel.url.dropLast()) : channel.url
        return post(to: base + "/api/v2/alerts", Array(json.utf8), headers: [])
    }

    /// The headers every POST carries; the signature is over exactly the bytes sent.
    func headers(for body: [UInt8], extra: [(String, String)]) -> [(String, String)] {
        var headers = [("Content-Type", "application/json"), ("User-Agent", "fleetwatchd")] + extra
        if let secret {
            headers.append(
                ("X-Fleetwatch-Signature", "sha256=" + HMACSHA256.hex(HMACSHA256.mac(key: secret, message: body))))
        }
        return headers
    }

    private func post(
        to address: String, _ body: [UInt8], headers extra: [(String, String)]
    ) -> Result<Void, NotifyFailure> {
        guard let url = URL(string: signedAddress(address, at: Date().timeIntervalSince1970)) else {
            return .failure(NotifyFailure("url is not a valid URL"))
        }
        switch poster.post(url, headers: headers(for: body, extra: extra), body: body, timeout: channel.timeoutSeconds)
        {
        case .failure(let failure):
            return .failure(failure)
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                return .failure(NotifyFailure("answered HTTP \(response.status)" + Self.firstLine(response.body)))
            }
            if channel.type == .webhook && channel.format != .json, let refusal = Self.robotRefusal(response.body) {
                return .failure(refusal)
            }
            return .success(())
        }
    }

    /// A DingTalk robot with 加签 (signing) on checks `timestamp` and `sign` in the URL:
    /// base64(HMAC-SHA256(secret, "TIMESTAMP\nsecret")), milliseconds. Other channels: as configured.
    func signedAddress(_ address: String, at time: Double) -> String {
        guard channel.type == .webhook, channel.format == .dingtalk, let secret else { return address }
        let timestamp = String(Int64(time * 1000))
        let mac = HMACSHA256.mac(key: secret, message: Array("\(timestamp)\n".utf8) + secret)
        let sign =
            Data(mac).base64EncodedString()
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return address + (address.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
    }

    /// `{"errcode":93000,"errmsg":"invalid webhook url"}`: a robot's refusal behind a 200.
    static func robotRefusal(_ body: [UInt8]) -> NotifyFailure? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let code = (object["errcode"] as? NSNumber)?.intValue, code != 0
        else { return nil }
        return NotifyFailure("robot answered errcode \(code): \(object["errmsg"] as? String ?? "")")
    }

    private static func firstLine(_ body: [UInt8]) -> String {
        let line = String(decoding: body.prefix(200), as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
        return line.isEmpty ? "" : ": \(line)"
    }
}
