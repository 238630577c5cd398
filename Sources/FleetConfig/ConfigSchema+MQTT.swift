import FleetCore

extension ConfigSchema {
    static var mqtt: ConfigTable<MQTTSettings> {
        ConfigTable<MQTTSettings>(
            "The broker connection. The daemon subscribes with QoS 1 and a persistent session.",
            keys: [
                .text("host", \.host, "Broker host name or address.", rule: .nonEmpty),
                .count("port", \.port, 1...65535, "Broker port."),
                .text(
                    "client_id", \.clientID,
                    "MQTT client id; the broker keeps the daemon's persistent session under it, so keep it fixed.",
                    rule: clientIDRule),
                .text(
                    "topic_prefix", \.topicPrefix, "First level of every topic: `PREFIX/SITE/KIND/DEVICE/heartbeat`.",
                    rule: topicPrefixRule),
                .text("username", \.username, "Broker user name; `\"\"`: anonymous."),
                .text(
                    "password_file", \.passwordFile,
                    "File holding the broker password (a trailing newline is ignored).", type: "path"),
                .text(
                    "tls_ca_file", \.tlsCAFile, "CA certificate of the broker; set → the connection uses TLS.",
                    type: "path"),
                .text(
                    "tls_cert_file", \.tlsCertFile, "Client certificate, for brokers that require one.",
                    type: "path"),
                .text("tls_key_file", \.tlsKeyFile, "Key of the client certificate.", type: "path"),
                .wholeSeconds(
                    "keepalive_s", \.keepaliveSeconds, NumberRange(5, 65535),
                    "MQTT keepalive; MQTT counts whole seconds, so a fraction is rounded up."),
                .count(
                    "max_payload_bytes", \.maxPayloadBytes, 64...268_435_455,
                    "Larger heartbeats are rejected (`too_large`)."),
            ],
            checks: [
                ConfigCheck("`password_file` needs `username`") { r, m in
                    if !m.passwordFile.isEmpty && m.username.isEmpty {
                        r.problem("password_file", "is set but mqtt.username is empty")
                    }
                },
                ConfigCheck("`tls_cert_file` and `tls_key_file` are set together") { r, m in
                    guard m.tlsCertFile.isEmpty != m.tlsKeyFile.isEmpty else { return }
                    let (missing, given) =
                        m.tlsCertFile.isEmpty
                        ? ("tls_cert_file", "tls_key_file") : ("tls_key_file", "tls_cert_file")
                    r.problem(missing, "must be set together with \(given)")
                },
                ConfigCheck("a client certificate needs `tls_ca_file`") { r, m in
                    if !m.tlsCertFile.isEmpty && m.tlsCAFile.isEmpty {
                        r.problem("tls_ca_file", "must be set when a client certificate is used")
                    }
                },
            ],
            notes: [
                "The daemon and `--check-config` also check that `password_file`, `tls_ca_file`, `tls_cert_file` and "
                    + "`tls_key_file`, when set, name readable regular files; `fleetwatch` never reads them."
            ])
    }

    /// The persistent session is keyed by it, and MQTT strings are at most 65535 bytes.
    static let clientIDRule = TextRule(reference: "not empty, ≤ 65535 bytes") {
        if $0.isEmpty { return "must not be empty (the persistent session is keyed by it)" }
        return $0.utf8.count > 65535 ? "must be at most 65535 bytes (an MQTT string)" : nil
    }

    static let topicPrefixRule = TextRule(reference: "not empty, no `+` or `#`, no leading or trailing `/`") {
        let valid =
            !$0.isEmpty && !$0.contains(where: { "+#".contains($0) })
            && !$0.hasPrefix("/") && !$0.hasSuffix("/")
        return valid ? nil : "must be a non-empty topic without wildcards or a leading/trailing '/' (got \"\($0)\")"
    }
}
