import FleetCore
import Foundation
import TOMLKit

/// The one loader the daemon, the CLI and `--check-config` share: TOML text in, a validated
/// `Configuration` out, or every problem at once.
public enum ConfigurationLoader {
    /// `checkingFiles`: also report referenced files (password, TLS) that cannot be read, in the
    /// same list as every other problem.
    public static func load(path: String, checkingFiles: Bool = false) throws(ConfigurationError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: [.init(key: path, reason: "cannot be read (missing or no permission)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(problems: [.init(key: path, reason: "is not UTF-8 text")])
        }
        return try parse(text, checkingFiles: checkingFiles)
    }

    public static func parse(_ text: String, checkingFiles: Bool = false) throws(ConfigurationError) -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(problems: [.init(
                key: "(syntax)",
                reason: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")])
        } catch {
            throw ConfigurationError(problems: [.init(key: "(syntax)", reason: "\(error)")])
        }
        var problems: [ConfigurationError.Problem] = []
        let report: (String, String) -> Void = { problems.append(.init(key: $0, reason: $1)) }
        var config = Configuration()
        let top = TableReader(root, path: "", report: report)
        if let t = top.subtable("mqtt") { config.mqtt = readMQTT(TableReader(t, path: "mqtt", report: report)) }
        if let t = top.subtable("storage") { config.storage = readStorage(TableReader(t, path: "storage", report: report)) }
        if let t = top.subtable("control") {
            let r = TableReader(t, path: "control", report: report)
            config.control.socket = r.string("socket", config.control.socket)
            if config.control.socket.isEmpty { r.problem("socket", "must not be empty") }
            if config.control.socket.utf8.count > 107 { r.problem("socket", "must be at most 107 bytes (a Unix socket path)") }
            r.finish()
        }
        if let t = top.subtable("metrics") {
            let r = TableReader(t, path: "metrics", report: report)
            config.metrics.listen = r.string("listen", config.metrics.listen)
            if !config.metrics.listen.isEmpty {
                if let address = ListenAddress(config.metrics.listen) {
                    if !address.isIPv4OrLocalhost {
                        r.problem("listen", "must be an IPv4 address or localhost with a port, e.g. 127.0.0.1:9731 "
                                  + "(IPv6 and host names are not supported; got \"\(config.metrics.listen)\")")
                    }
                } else {
                    r.problem("listen", "must be HOST:PORT or \"\" (got \"\(config.metrics.listen)\")")
                }
            }
            r.finish()
        }
        if let t = top.subtable("detection") {
            config.detection = readDetection(TableReader(t, path: "detection", report: report))
        }
        if let t = top.subtable("escalation") {
            config.escalation = readEscalation(TableReader(t, path: "escalation", report: report))
        }
        if let t = top.subtable("sla") { config.sla = readSLA(TableReader(t, path: "sla", report: report)) }
        if let t = top.subtable("kinds") { readKinds(t, into: &config, report: report) }
        if let t = top.subtable("sites") { readSites(t, into: &config, report: report) }
        if let tables = top.tableArray("devices") { readDevices(tables, into: &config, report: report) }
        top.finish()
        if checkingFiles { problems += referencedFileProblems(config) }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return config
    }
}

/// `HOST:PORT` for the metrics endpoint.
public struct ListenAddress: Sendable, Equatable {
    public let host: String
    public let port: Int
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    /// What the metrics server can bind: a dotted IPv4 address or `localhost`.
    public var isIPv4OrLocalhost: Bool {
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }
}
