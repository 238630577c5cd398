import FleetCore
import Foundation
import TOMLKit

extension ConfigurationLoader {
    static func readMQTT(_ r: TableReader) -> MQTTSettings {
        var m = MQTTSettings()
        m.host = r.string("host", m.host)
        if m.host.isEmpty { r.problem("host", "must not be empty") }
        m.port = r.integer("port", m.port, "must be 1-65535") { (1...65535).contains($0) }
        m.clientID = r.string("client_id", m.clientID)
        if m.clientID.isEmpty { r.problem("client_id", "must not be empty (the persistent session is keyed by it)") }
        if m.clientID.utf8.count > 65535 { r.problem("client_id", "must be at most 65535 bytes (an MQTT string)") }
        m.topicPrefix = r.string("topic_prefix", m.topicPrefix)
        if m.topicPrefix.isEmpty || m.topicPrefix.contains(where: { "+#".contains($0) })
            || m.topicPrefix.hasPrefix("/") || m.topicPrefix.hasSuffix("/") {
            r.problem("topic_prefix", "must be a non-empty topic without wildcards or a leading/trailing '/' (got \"\(m.topicPrefix)\")")
        }
        m.username = r.string("username", m.username)
        m.passwordFile = r.string("password_file", m.passwordFile)
        if !m.passwordFile.isEmpty && m.username.isEmpty {
            r.problem("password_file", "is set but mqtt.username is empty")
        }
        m.tlsCAFile = r.string("tls_ca_file", m.tlsCAFile)
        m.tlsCertFile = r.string("tls_cert_file", m.tlsCertFile)
        m.tlsKeyFile = r.string("tls_key_file", m.tlsKeyFile)
        if m.tlsCertFile.isEmpty != m.tlsKeyFile.isEmpty {
            r.problem(m.tlsCertFile.isEmpty ? "tls_cert_file" : "tls_key_file",
                      "must be set together with \(m.tlsCertFile.isEmpty ? "tls_key_file" : "tls_cert_file")")
        }
        if !m.tlsCertFile.isEmpty && m.tlsCAFile.isEmpty {
            r.problem("tls_ca_file", "must be set when a client certificate is used")
        }
        // A duration like every other (SPEC §4: fractions allowed); MQTT sends whole seconds, so
        // a fraction is rounded up.
        m.keepaliveSeconds = Int(r.number("keepalive_s", Double(m.keepaliveSeconds), "must be 5-65535") {
            (5...65535).contains($0)
        }.rounded(.up))
        m.maxPayloadBytes = r.integer("max_payload_bytes", m.maxPayloadBytes, "must be 64-268435455") {
            (64...268_435_455).contains($0)
        }
        r.finish()
        return m
    }

    static func readStorage(_ r: TableReader) -> StorageSettings {
        var s = StorageSettings()
        s.database = r.string("database", s.database)
        if s.database.isEmpty { r.problem("database", "must not be empty") }
        s.alertLog = r.string("alert_log", s.alertLog)
        if s.alertLog.isEmpty { r.problem("alert_log", "must not be empty") }
        let format = r.string("alert_log_format", s.alertLogFormat.rawValue)
        if let f = StorageSettings.AlertLogFormat(rawValue: format) {
            s.alertLogFormat = f
        } else {
            r.problem("alert_log_format", "must be \"text\" or \"json\" (got \"\(format)\")")
        }
        r.finish()
        return s
    }

    static func readDetection(_ r: TableReader) -> DetectionSettings {
        var d = DetectionSettings()
        d.startupGraceSeconds = r.number("startup_grace_s", d.startupGraceSeconds, "must be >= 0") { $0 >= 0 }
        d.resolveAfterSeconds = r.number("resolve_after_s", d.resolveAfterSeconds, "must be >= 0") { $0 >= 0 }
        d.brokerDownP1AfterSeconds = r.number("broker_down_p1_after_s", d.brokerDownP1AfterSeconds, "must be > 0") { $0 > 0 }
        d.flapWindowSeconds = r.number("flap_window_s", d.flapWindowSeconds, "must be > 0") { $0 > 0 }
        d.flapChanges = r.integer("flap_changes", d.flapChanges, "must be >= 2") { $0 >= 2 }
        d.maxDevices = r.integer("max_devices", d.maxDevices, "must be 1-10000000") { (1...10_000_000).contains($0) }
        d.maxClockSkewSeconds = r.number("max_clock_skew_s", d.maxClockSkewSeconds, "must be > 0") { $0 > 0 }
        r.finish()
        return d
    }

    static func readEscalation(_ r: TableReader) -> EscalationSettings {
        var e = EscalationSettings()
        e.siteOfflineRatio = r.number("site_offline_ratio", e.siteOfflineRatio, "must be > 0 and <= 1") { $0 > 0 && $0 <= 1 }
        e.fleetOfflineRatio = r.number("fleet_offline_ratio", e.fleetOfflineRatio, "must be > 0 and <= 1") { $0 > 0 && $0 <= 1 }
        e.repeatFailures = r.integer("repeat_failures", e.repeatFailures, "must be >= 2") { $0 >= 2 }
        e.repeatWindowSeconds = r.number("repeat_window_s", e.repeatWindowSeconds, "must be > 0") { $0 > 0 }
        e.groupWaitSeconds = r.number("group_wait_s", e.groupWaitSeconds, "must be >= 0") { $0 >= 0 }
        r.finish()
        return e
    }

    static func readSLA(_ r: TableReader) -> SLASettings {
        var s = SLASettings()
        s.timezone = r.string("timezone", s.timezone)
        if TimeZone(identifier: s.timezone) == nil {
            r.problem("timezone", "must be an IANA time zone name like Asia/Shanghai (got \"\(s.timezone)\")")
        }
        if let days = r.stringArray("service_days") {
            var parsed: [Weekday] = []
            for day in days {
                guard let w = Weekday(rawValue: day.lowercased()) else {
                    r.problem("service_days", "has \"\(day)\"; use mon, tue, wed, thu, fri, sat, sun")
                    continue
                }
                if parsed.contains(w) { r.problem("service_days", "lists \"\(day)\" twice") }
                parsed.append(w)
            }
            s.serviceDays = parsed
            if days.isEmpty { r.problem("service_days", "must list at least one day (no service time means no SLA deadline)") }
        }
        if let hours = r.stringArray("service_hours") {
            var ranges: [ServiceRange] = []
            for text in hours {
                guard let range = parseRange(text) else {
                    r.problem("service_hours", "has \"\(text)\"; use HH:MM-HH:MM with start before end, end up to 24:00")
                    continue
                }
                ranges.append(range)
            }
            ranges.sort { $0.startMinute < $1.startMinute }
            for (a, b) in zip(ranges, ranges.dropFirst()) where b.startMinute < a.endMinute {
                r.problem("service_hours", "has overlapping ranges")
            }
            s.serviceHours = ranges
            if hours.isEmpty { r.problem("service_hours", "must list at least one range (no service time means no SLA deadline)") }
        }
        if let holidays = r.stringArray("holidays") {
            for day in holidays where !isLocalDate(day) {
                r.problem("holidays", "has \"\(day)\"; use YYYY-MM-DD")
            }
            s.holidays = holidays
        }
        s.respondWithinSeconds = r.number("respond_within_s", s.respondWithinSeconds, "must be > 0") { $0 > 0 }
        s.p1OnsiteWithinSeconds = r.number("p1_onsite_within_s", s.p1OnsiteWithinSeconds, "must be > 0") { $0 > 0 }
        s.p2OnsiteWithinSeconds = r.number("p2_onsite_within_s", s.p2OnsiteWithinSeconds, "must be > 0") { $0 > 0 }
        r.finish()
        return s
    }

    /// `09:00-12:00`; the end may be `24:00`.
    static func parseRange(_ text: String) -> ServiceRange? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = minutes(parts[0]), let b = minutes(parts[1]), a < b, a < 1440 else {
            return nil
        }
        return ServiceRange(startMinute: a, endMinute: b)
    }

    static func minutes(_ text: Substring) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2,
              (hm[0] + hm[1]).allSatisfy({ $0.isASCII && $0.isNumber }), let h = Int(hm[0]), let m = Int(hm[1]),
              (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    static func isLocalDate(_ text: String) -> Bool {
        let p = text.split(separator: "-")
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              p.joined().allSatisfy({ $0.isASCII && $0.isNumber }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m) else { return false }
        return d >= 1 && d <= RFC3339.daysInMonth(y, m)
    }
}
