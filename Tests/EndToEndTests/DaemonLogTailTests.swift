import Foundation
import XCTest

/// `fleetwatch tail` on the log the daemon itself writes (TailCommandTests write theirs by hand):
/// the last lines as they are in the file, and `-f` printing a line the daemon writes later.
final class DaemonLogTailTests: EndToEndTestCase {
    func testTailShowsTheDaemonsLinesAndFollowsNewOnes() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try broker.publish("library/site-live/face-gate/gate-live/heartbeat", #"{"seq":1}"#)  // not the whole fleet
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-live") == "online" })
        for site in ["a", "b", "c", "d"] {  // a status alone registers nothing
            try broker.publish("library/site-\(site)/face-gate/gate-\(site)/heartbeat", #"{"seq":1}"#)
        }
        for site in ["a", "b", "c"] {
            try broker.publish("library/site-\(site)/face-gate/gate-\(site)/status", "offline")
        }
        XCTAssertTrue(waitUntil(10) { alertLines().count == 3 })
        let written = alertLines()
        let last = try cli(["tail", "-n", "2"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertEqual(last.stdout, written.suffix(2).map { $0 + "\n" }.joined())

        let follower = try ChildProcess(
            name: "fleetwatch tail -f", executable: Binaries.path("fleetwatch"),
            arguments: ["tail", "--config", configPath, "-f", "-n", "1"],
            logPath: directory + "/tail.log")
        children.append(follower)
        XCTAssertTrue(waitUntil(5) { follower.log == written[2] + "\n" }, follower.log)
        try broker.publish("library/site-d/face-gate/gate-d/status", "offline")
        XCTAssertTrue(waitUntil(10) { alertLines().count == 4 })
        let newLine = try XCTUnwrap(alertLines().last)
        XCTAssertTrue(newLine.contains("device=gate-d"), newLine)
        XCTAssertTrue(waitUntil(5) { follower.log == written[2] + "\n" + newLine + "\n" }, follower.log)
        follower.signal(SIGINT)
        XCTAssertEqual(follower.wait(timeout: 5), 0)
    }
}
