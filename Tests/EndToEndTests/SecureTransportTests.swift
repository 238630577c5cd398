import Foundation
import XCTest

/// Credentials, per-device ACLs and TLS against a mosquitto configured for them, with
/// certificates made by openssl in the test.
final class SecureTransportTests: EndToEndTestCase {
    func shell(_ command: String) throws {
        let result = try runCommand("/bin/sh", ["-c", command])
        guard result.status == 0 else { throw HarnessError("\(command): \(result.stderr)") }
    }

    /// A password file with the daemon's user and two devices, and the ACL the README shows.
    func secureBroker() throws {
        try shell(
            """
            cd '\(directory)' && mosquitto_passwd -b -c passwd fleetwatchd s3cret \
            && mosquitto_passwd -b passwd robot-01 r1pass && mosquitto_passwd -b passwd robot-02 r2pass
            """)
        try """
        # The daemon reads every device topic and writes only its own state and link probe.
        user fleetwatchd
        topic read library/#
        topic write library/$fleetwatch/state
        topic write library/$fleetwatch/probe

        # A device writes only under its own id (its username).
        pattern write library/+/+/%u/#
        """.write(toFile: directory + "/acl", atomically: true, encoding: .utf8)
        broker.security = "allow_anonymous false\npassword_file \(directory)/passwd\nacl_file \(directory)/acl"
        try broker.restart()
    }

    func publish(
        _ topic: String, _ payload: String, user: String, password: String, extra: [String] = []
    ) throws -> Int32 {
        try runCommand(
            "/usr/bin/mosquitto_pub",
            [
                "-h", "127.0.0.1", "-p", String(broker.port), "-q", "1", "-u", user,
                "-P", password, "-i", user, "-t", topic, "-m", payload,
            ] + extra
        ).status
    }

    /// A password file written on Windows ends in CRLF; SPEC §4 ignores the trailing newline.
    func testAPasswordFileEndingInCRLFConnects() throws {
        try secureBroker()
        try "s3cret\r\n".write(toFile: directory + "/mqtt-password", atomically: true, encoding: .utf8)
        chmod(directory + "/mqtt-password", 0o600)
        mqttExtra = "username = \"fleetwatchd\"\npassword_file = \"\(directory)/mqtt-password\""
        try writeConfig(grace: 1)
        try startDaemon()
        XCTAssertTrue(try waitUntil(5) { try daemonStatus().broker == .connected })
    }

    func testTheRightPasswordConnectsAndADeviceCannotPublishAsAnother() throws {
        try secureBroker()
        try "s3cret\n".write(toFile: directory + "/mqtt-password", atomically: true, encoding: .utf8)
        chmod(directory + "/mqtt-password", 0o600)
        mqttExtra = "username = \"fleetwatchd\"\npassword_file = \"\(directory)/mqtt-password\""
        try writeConfig(grace: 1)
        try startDaemon()
        // The status row lags the connection by up to a second.
        XCTAssertTrue(try waitUntil(10) { try daemonStatus().broker == .connected })
        XCTAssertEqual(
            try publish(
                "library/tianshan/delivery-robot/robot-01/heartbeat", "{\"seq\":1}",
                user: "robot-01", password: "r1pass"), 0)
        XCTAssertTrue(try waitUntil(5) { try deviceState("robot-01") == "online" })
        // robot-01 pretending to be robot-02: the broker drops it; the daemon never sees it. The
        // barrier: robot-01's own next heartbeat, published after it, is the only one counted.
        try waitForEngineTurns(1)  // counters are the status row's, up to a second old
        let accepted = try daemonStatus().messages.accepted
        _ = try publish(
            "library/tianshan/delivery-robot/robot-02/heartbeat", "{\"seq\":1}", user: "robot-01",
            password: "r1pass")
        XCTAssertEqual(
            try publish(
                "library/tianshan/delivery-robot/robot-01/heartbeat", "{\"seq\":2}",
                user: "robot-01", password: "r1pass"), 0)
        XCTAssertTrue(try waitUntil(10) { try daemonStatus().messages.accepted > accepted })
        try waitForEngineTurns(1)
        XCTAssertEqual(try daemonStatus().messages.accepted, accepted + 1, "the forged heartbeat was delivered")
        XCTAssertNil(try device("robot-02"))
        // Wrong device password: refused by the broker.
        XCTAssertNotEqual(
            try publish(
                "library/tianshan/delivery-robot/robot-02/heartbeat", "{}", user: "robot-02",
                password: "wrong"), 0)
    }

    func testAWrongPasswordIsLoggedOnceAndRetriedWithBackoff() throws {
        try secureBroker()
        try "not-the-password".write(toFile: directory + "/mqtt-password", atomically: true, encoding: .utf8)
        mqttExtra = "username = \"fleetwatchd\"\npassword_file = \"\(directory)/mqtt-password\""
        try writeConfig(grace: 1)
        let d = try startDaemon(waitForBroker: false)
        XCTAssertTrue(waitUntil(10) { d.log.contains("broker refused the connection") }, d.log)
        // Attempts at about 0, 1 and 3 s (backoff 1 → 2 → 4 s): by 5 s, three of them.
        waitPast(5, "three connection attempts at 0, 1 and 3 s")
        XCTAssertTrue(d.isRunning)
        let refusals = d.log.components(separatedBy: "broker refused the connection").count - 1
        XCTAssertEqual(refusals, 1, "one log line per distinct problem: \(d.log)")
        XCTAssertTrue(d.log.contains("not authori"), d.log)
        XCTAssertEqual(try daemonStatus().broker, .disconnected)
        // Retried, with backoff: the broker saw a few attempts, not one and not a spin.
        let brokerLog = (try? String(contentsOfFile: directory + "/mosquitto.log", encoding: .utf8)) ?? ""
        let attempts = brokerLog.components(separatedBy: "New connection from").count - 1
        XCTAssertTrue((2...5).contains(attempts), "\(attempts) connection attempts in 5 s: \(brokerLog)")
        // Not a spin: the daemon used well under a second of CPU in those 5 s.
        XCTAssertLessThan(try cpuSeconds(of: d.pid), 1.0)
    }

    /// User plus system CPU time of a process, from /proc/PID/stat (fields 14 and 15).
    func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name, in parentheses, may contain spaces: count fields after its end.
        let afterName = try XCTUnwrap(stat.range(of: ") ", options: .backwards)?.upperBound, stat)
        let fields = stat[afterName...].split(separator: " ")
        let user = try XCTUnwrap(fields.count > 12 ? Double(fields[11]) : nil, stat)
        let system = try XCTUnwrap(fields.count > 12 ? Double(fields[12]) : nil, stat)
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CA, server and client certificates, the server's valid for IP 127.0.0.1.
    func makeCertificates() throws {
        try shell(
            """
            cd '\(directory)' \
            && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=fleetwatch-test-ca 2>/dev/null \
            && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null \
            && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext \
            && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 -extfile san.ext 2>/dev/null \
            && openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=fleetwatchd 2>/dev/null \
            && openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 1 2>/dev/null \
            && openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.crt -days 1 -subj /CN=someone-else 2>/dev/null \
            && chmod a+r *.key
            """)  // the broker drops root for its own user before reading its key: keys must be readable
        broker.security = """
            allow_anonymous true
            cafile \(directory)/ca.crt
            certfile \(directory)/server.crt
            keyfile \(directory)/server.key
            require_certificate true
            """
        try broker.restart()
    }

    func testTLSWithAClientCertificateConnects() throws {
        try makeCertificates()
        mqttExtra = """
            tls_ca_file = "\(directory)/ca.crt"
            tls_cert_file = "\(directory)/client.crt"
            tls_key_file = "\(directory)/client.key"
            """
        try writeConfig(grace: 1)
        try startDaemon()
        XCTAssertTrue(try waitUntil(10) { try daemonStatus().broker == .connected })  // the row lags up to 1 s
        let pub = try runCommand(
            "/usr/bin/mosquitto_pub",
            [
                "-h", "127.0.0.1", "-p", String(broker.port), "--cafile", directory + "/ca.crt", "--cert",
                directory + "/client.crt",
                "--key", directory + "/client.key", "-q", "1", "-t", "library/tianshan/face-gate/gate-1/heartbeat",
                "-m", "{}",
            ])
        XCTAssertEqual(pub.status, 0, pub.stderr)
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-1") == "online" })
        XCTAssertFalse(daemon?.log.contains("read ahead") == true, "TLS reads stay OpenSSL's own")
    }

    func testTLSWithTheWrongCAIsLoggedAndRetried() throws {
        try makeCertificates()
        mqttExtra = """
            tls_ca_file = "\(directory)/other-ca.crt"
            tls_cert_file = "\(directory)/client.crt"
            tls_key_file = "\(directory)/client.key"
            """
        try writeConfig(grace: 1)
        let d = try startDaemon(waitForBroker: false)
        XCTAssertTrue(waitUntil(6) { d.log.contains("broker connection failed") }, d.log)
        XCTAssertTrue(d.isRunning)
        XCTAssertFalse(d.log.contains("broker connected"))
        XCTAssertEqual(try daemonStatus().broker, .disconnected)
    }
}
