import FleetCore
import Foundation
import Postgres
import XCTest

/// Active and standby on one PostgreSQL database (SPEC §15), with real processes: two daemons,
/// one broker, one database (this class's own cluster: one test stops it), devices heartbeating
/// through fleetsim. A device "fails" by freezing its simulator (SIGSTOP: silent, connection
/// kept) and comes back with SIGCONT.
final class FailoverTests: EndToEndTestCase {
    private var receiver: TestReceiver?
    private var frozen: [ChildProcess] = []

    override func tearDown() {
        for sim in frozen { sim.signal(SIGCONT) }  // a stopped process cannot handle SIGTERM
        receiver?.stop()
        super.tearDown()
    }

    /// Devices with a 1.5 s timeout (0.5 s heartbeats, interval_s sent, missed 3), one simulator
    /// per kind so each can fail alone: four robots that never fail, a locker, a gate, a kiosk.
    private func startFleet() throws -> (locker: ChildProcess, gate: ChildProcess, kiosk: ChildProcess) {
        try startSim(["--sites", "2", "--per-kind", "2", "--kinds", "delivery-robot", "--interval", "0.5"])
        let locker = try startSim(["--sites", "1", "--kinds", "pickup-locker", "--interval", "0.5"])
        let gate = try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.5"])
        let kiosk = try startSim(["--sites", "1", "--kinds", "digital-human", "--interval", "0.5"])
        return (locker, gate, kiosk)
    }

    private func freeze(_ sim: ChildProcess) {
        sim.signal(SIGSTOP)
        frozen.append(sim)
    }

    private func thaw(_ sim: ChildProcess) {
        sim.signal(SIGCONT)
        frozen.removeAll { $0 === sim }
    }

    private func waitForRole(_ role: CLIStatus.Role, of node: HANode, timeout: Double = 15) throws {
        guard try waitUntil(timeout, { try runningRole(of: node) == role }) else {
            throw HarnessError("\(node.name) is not \(role) within \(timeout) s: \(try status(of: node))")
        }
    }

    private func opens(_ node: HANode) throws -> [AlertLine] { try node.alerts().filter { $0.event == "OPEN" } }

    private func database() throws -> PostgresConnection {
        try PostgresConnection(url: try XCTUnwrap(postgresURL))
    }

    /// kill -9 of the active: the standby is active within 10 s; the open incidents keep their ids
    /// (no OPEN again, no duplicate), the devices that kept heartbeating open nothing, a line the
    /// old active committed but never wrote is written by the new one, notifications pending at
    /// the kill are delivered, a new outage opens the next id within its own timeout (no grace:
    /// the standby's state was warm), and an old incident resolves.
    func testKillingTheActiveHandsOverWithinTenSecondsAndKeepsIncidents() throws {
        let receiver = try TestReceiver()
        self.receiver = receiver
        receiver.answer(.status(503))  // deliveries pile up while node-a is active
        let grace = 6.0
        let nodes = try writeNodeConfigs(
            ["node-a", "node-b"], grace: grace,
            extra: "[[notify]]\nname = \"oncall\"\nurl = \"\(receiver.url)/hook\"\n")
        let (a, b) = (nodes[0], nodes[1])
        let daemonA = try startNode(a)
        try waitForRole(.active, of: a)
        let daemonB = try startNode(b)
        let bStarted = monotonicSeconds()
        try waitForRole(.standby, of: b)
        let fleet = try startFleet()
        XCTAssertTrue(
            try waitUntil(15) { try status(of: a).devices["online"] == 7 }, "\(String(describing: try? status(of: a)))")
        // node-b's own grace (it counts from its broker connection) ends before anything fails.
        Thread.sleep(forTimeInterval: max(0, bStarted + grace + 1 - monotonicSeconds()))

        freeze(fleet.locker)
        freeze(fleet.gate)
        XCTAssertTrue(try waitUntil(10) { try opens(a).count == 2 }, "\(String(describing: try? a.alerts()))")
        let before = try opens(a)
        XCTAssertEqual(Set(before.compactMap { $0.fields["device"] }), ["locker-site01-01", "gate-site01-01"])
        XCTAssertEqual(try opens(b), [], "a standby announces nothing")
        // As if node-a died between committing its last OPEN and writing it.
        let db = try database()
        try db.query("UPDATE meta SET value = value - 1 WHERE key = 'announced_through'")
        let unwritten = try XCTUnwrap(before.last)

        daemonA.signal(SIGKILL)
        let killed = monotonicSeconds()
        try waitForRole(.active, of: b, timeout: 10)
        let tookOver = monotonicSeconds() - killed
        print("failover: node-b active \(String(format: "%.2f", tookOver)) s after kill -9 of node-a")
        XCTAssertLessThan(tookOver, 10)
        receiver.answer(.status(200))

        // The robots kept heartbeating: past their 1.5 s timeout and several passes, nothing new.
        waitPast(3, "a device incident from the switch would open within the robots' 1.5 s timeout")
        XCTAssertEqual(try opens(b).map(\.text), [unwritten.text], "only the line node-a never wrote")
        let open = try allIncidents(on: b).filter { $0.status != "resolved" }
        XCTAssertEqual(Set(open.map(\.id)), Set(before.map(\.incident)), "the same incidents, the same ids")

        // A new outage: the next id, within the kiosk's timeout, not after a grace period.
        freeze(fleet.kiosk)
        let stopped = monotonicSeconds()
        XCTAssertTrue(try waitUntil(10) { try opens(b).count == 2 }, "\(String(describing: try? b.alerts()))")
        XCTAssertLessThan(monotonicSeconds() - stopped, grace, "the kiosk waited out a grace period")
        let kioskOpen = try XCTUnwrap(try opens(b).last)
        XCTAssertEqual(kioskOpen.fields["device"], "kiosk-site01-01")
        let ids = before.map(\.incident).sorted()
        XCTAssertEqual(
            kioskOpen.incident, "INC-" + String(format: "%06d", (Int(ids.last?.dropFirst(4) ?? "") ?? 0) + 1))

        // An old one resolves, under its own id.
        thaw(fleet.locker)
        let lockerID = try XCTUnwrap(before.first { $0.fields["device"] == "locker-site01-01" }?.incident)
        XCTAssertTrue(
            try waitUntil(10) { try b.alerts().contains { $0.event == "RESOLVE" && $0.incident == lockerID } },
            "\(String(describing: try? b.alerts()))")

        // Pending at the kill, delivered by node-b: each event once with 2xx, in order.
        XCTAssertTrue(
            waitUntil(15) {
                receiver.requests.filter { (try? $0.notification().event) == "RESOLVE" }.count == 1
            }, "\(receiver.requests.map(\.body))")
        let delivered = receiver.requests.compactMap { try? $0.notification() }
        let answered = Array(delivered.suffix(4))  // the last four came after the receiver recovered
        XCTAssertEqual(
            answered.map { "\($0.event) \($0.incident ?? "")" },
            before.map { "OPEN \($0.incident)" } + ["OPEN \(kioskOpen.incident)", "RESOLVE \(lockerID)"])
        XCTAssertEqual(Set(answered.map(\.id)).count, 4)

        // Node topics: node-b says active, node-a's will said offline; monitoring is online.
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/nodes/node-b"), "active")
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/nodes/node-a"), "offline")
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/state"), "online")
        // The nodes' own topics are theirs, not devices': nothing was rejected.
        XCTAssertEqual(
            try status(of: b).messages.rejected.values.reduce(0, +), 0,
            "\(String(describing: try? status(of: b).messages))")

        // The last node dies too: nobody is monitoring, and the state topic says so (SPEC §5).
        daemonB.signal(SIGKILL)
        XCTAssertTrue(
            try waitUntil(10) { try broker.firstMessage(on: "library/$fleetwatch/state") == "offline" },
            "the active node's state connection left its will")
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/nodes/node-b"), "offline")
    }

    /// The database stopped under the active: it stops writing and announcing at once (no line for
    /// an outage meanwhile, on either node), and when the database returns exactly one node takes
    /// over and announces that outage once.
    func testTheDatabaseStoppedUnderTheActiveStopsAnnouncingUntilItReturns() throws {
        let nodes = try writeNodeConfigs(["node-a", "node-b"], grace: 2)
        let (a, b) = (nodes[0], nodes[1])
        let daemonA = try startNode(a)
        try waitForRole(.active, of: a)
        let daemonB = try startNode(b)
        try waitForRole(.standby, of: b)
        let fleet = try startFleet()
        XCTAssertTrue(try waitUntil(15) { try status(of: a).devices["online"] == 7 })
        Thread.sleep(forTimeInterval: 3)  // past both nodes' grace

        let cluster = try postgresCluster()
        cluster.stop()
        XCTAssertTrue(waitUntil(10) { daemonA.log.contains("stopped writing and announcing") }, daemonA.log)
        freeze(fleet.locker)
        waitPast(4, "the locker's 1.5 s timeout: an OPEN would be written by now")
        XCTAssertEqual(try opens(a) + opens(b), [], "nobody may announce without the database")

        try cluster.start()
        XCTAssertTrue(
            try waitUntil(15) {
                try [a, b].compactMap { try runningRole(of: $0) }.filter { $0 == .active }.count == 1
            })
        XCTAssertTrue(try waitUntil(10) { try (opens(a) + opens(b)).count == 1 })
        let line = try XCTUnwrap(try (opens(a) + opens(b)).first)
        XCTAssertEqual(line.fields["device"], "locker-site01-01")
        waitPast(3, "a second node announcing the same outage would have done so by now")
        XCTAssertEqual(try (opens(a) + opens(b)).count, 1)
        let roles = try [a, b].map { try runningRole(of: $0) }
        XCTAssertEqual(roles.filter { $0 == .active }.count, 1, "\(roles)")
        XCTAssertEqual(roles.filter { $0 == .standby }.count, 1, "\(roles)")
        XCTAssertTrue(daemonA.isRunning && daemonB.isRunning)
    }

    /// Two nodes started at the same moment on a fresh database: one migrates after the other,
    /// exactly one is active, and it stays that way.
    /// Metric history on an HA pair: the standby tracks the same heartbeats and writes none of
    /// them (each heartbeat is one sample, not one per node) and rolls nothing up; the node that
    /// takes over keeps writing history where the old active stopped.
    func testAStandbyWritesNoHistoryAndTheNodeTakingOverKeepsWritingIt() throws {
        let nodes = try writeNodeConfigs(["node-a", "node-b"])
        for node in nodes {
            let text = try String(contentsOfFile: node.configPath, encoding: .utf8)
            try text.replacingOccurrences(of: "[storage]\n", with: "[storage]\nhistory_interval_s = 1\n")
                .write(toFile: node.configPath, atomically: true, encoding: .utf8)
        }
        let (a, b) = (nodes[0], nodes[1])
        let daemonA = try startNode(a)
        try waitForRole(.active, of: a)
        let daemonB = try startNode(b)
        try waitForRole(.standby, of: b)
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"])
        let robot = "robot-site01-01"
        let samples = { (node: HANode) throws -> [Double] in
            let result = try self.cli(["history", robot, "--metric", "battery_pct", "--json"], on: node)
            guard result.status == 0 else { throw HarnessError("fleetwatch history: \(result.stderr)") }
            return try decodeCLIOutput([CLIHistorySample].self, from: result.stdout, command: ["history"])
                .compactMap { RFC3339.parse($0.ts) }
        }
        XCTAssertTrue(waitUntil(20) { ((try? samples(a)) ?? []).count >= 8 })
        let before = try samples(b)  // any node's CLI reads the database
        // Heartbeats 0.5 s apart: two nodes writing would put two samples milliseconds apart.
        XCTAssertTrue(zip(before.dropFirst(), before).allSatisfy { $0 - $1 > 0.25 }, "\(before)")
        XCTAssertTrue(daemonB.isRunning)
        for failure in ["history write failed", "history rollup failed"] {
            XCTAssertFalse(daemonB.log.contains(failure), "the standby writes and rolls up nothing: \(daemonB.log)")
        }

        daemonA.signal(SIGKILL)
        let killed = Date().timeIntervalSince1970
        try waitForRole(.active, of: b, timeout: 10)
        XCTAssertTrue(
            waitUntil(15) { ((try? samples(b)) ?? []).filter { $0 > killed + 1 }.count >= 3 },
            "no history after the takeover: \(String(describing: try? samples(b))) \(daemonB.log)")
        let after = try samples(b)
        XCTAssertTrue(zip(after.dropFirst(), after).allSatisfy { $0 - $1 > 0.25 }, "\(after)")
        XCTAssertFalse(daemonB.log.contains("history write failed"), daemonB.log)
    }

    func testTwoNodesStartedAtOnceMakeExactlyOneActive() throws {
        let nodes = try writeNodeConfigs(["node-a", "node-b"])
        let daemons = try nodes.map { try startNode($0, waitForBroker: false) }
        XCTAssertTrue(
            waitUntil(15) { daemons.allSatisfy { $0.log.contains("broker connected") } },
            daemons.map(\.log).joined(separator: "\n"))
        XCTAssertTrue(try waitUntil(10) { try nodes.compactMap { try runningRole(of: $0) }.count == 2 })
        for _ in 0..<6 {
            let roles = try nodes.map { try runningRole(of: $0) }
            XCTAssertEqual(roles.filter { $0 == .active }.count, 1, "\(roles)")
            XCTAssertEqual(roles.filter { $0 == .standby }.count, 1, "\(roles)")
            Thread.sleep(forTimeInterval: 0.5)
        }
        let active = try XCTUnwrap(try nodes.first { try runningRole(of: $0) == .active })
        let standby = try XCTUnwrap(try nodes.first { try runningRole(of: $0) == .standby })
        XCTAssertEqual(try status(of: standby).node, standby.name)
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/nodes/\(active.name)"), "active")
        XCTAssertEqual(try broker.firstMessage(on: "library/$fleetwatch/nodes/\(standby.name)"), "standby")
        // A standby changes nothing and says where to go.
        let ack = try cli(["ack", "INC-000001", "--by", "li"], on: standby)
        XCTAssertEqual(ack.status, 1)
        XCTAssertTrue(ack.stderr.contains("standby") && ack.stderr.contains(active.name), ack.stderr)
    }
}
