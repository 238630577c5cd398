import Foundation
import XCTest

/// `fleetwatch tail`: the last lines of the alert log, filtering, colour only on a terminal, and
/// `-f` across appends and logrotate. No daemon: the tests write the alert log themselves.
final class TailCommandTests: EndToEndTestCase {
    // MARK: - Last lines

    func testTailPrintsTheLastNLines() throws {
        try writeConfig()
        let lines = (1...30).map { alertLine($0) }
        try writeLog(lines)
        let result = try cli(["tail", "-n", "5"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), Array(lines.suffix(5)))
    }

    func testTailPrintsTwentyLinesByDefault() throws {
        try writeConfig()
        let lines = (1...45).map { alertLine($0) }
        try writeLog(lines)
        let result = try cli(["tail"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), Array(lines.suffix(20)))
    }

    func testTailPrintsAShortLogWhole() throws {
        try writeConfig()
        let lines = (1...3).map { alertLine($0) }
        try writeLog(lines)
        XCTAssertEqual(outputLines(try cli(["tail", "-n", "10"]).stdout), lines)
        XCTAssertEqual(try cli(["tail", "-n", "0"]).stdout, "")
    }

    func testTailFiltersByPriority() throws {
        try writeConfig()
        let lines = (1...40).map { alertLine($0, priority: $0 % 4 == 0 ? "P1" : "P2") }
        try writeLog(lines)
        let result = try cli(["tail", "-n", "3", "--priority", "P1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            outputLines(result.stdout),
            [
                alertLine(32, priority: "P1"), alertLine(36, priority: "P1"),
                alertLine(40, priority: "P1"),
            ])
        // Lower case is accepted, like `incidents --priority`.
        let p2 = try cli(["tail", "--priority", "p2"])
        XCTAssertEqual(outputLines(p2.stdout), Array(lines.filter { $0.contains(" P2 ") }.suffix(20)))
    }

    func testTailReadsALongLogBackwardsAcrossChunks() throws {
        try writeConfig()
        // ~450 KB: lines straddle the reader's 64 KiB chunks, and the P1 lines are far apart.
        let lines = (1...2000).map { alertLine($0, priority: $0 % 450 == 0 ? "P1" : "P2") }
        try writeLog(lines)
        XCTAssertEqual(outputLines(try cli(["tail", "-n", "700"]).stdout), Array(lines.suffix(700)))
        let p1 = try cli(["tail", "-n", "3", "--priority", "P1"])
        XCTAssertEqual(outputLines(p1.stdout), [900, 1350, 1800].map { alertLine($0, priority: "P1") })
        let all = try cli(["tail", "-n", "10", "--priority", "P1"])
        XCTAssertEqual(outputLines(all.stdout), [450, 900, 1350, 1800].map { alertLine($0, priority: "P1") })
    }

    func testTailFiltersJSONLinesByTheirPriorityKey() throws {
        try """
        [storage]
        database = "\(databasePath)"
        alert_log = "\(alertLogPath)"
        alert_log_format = "json"
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let lines = (1...10).map { n in
            let priority = n % 2 == 0 ? "P1" : "P2"
            // "priority" is not the second key, and a value mentions the other priority, so only a
            // real JSON reading filters these right.
            return #"{"ts":"2026-11-26T21:30:04.120+08:00","event":"OPEN","priority":"\#(priority)","#
                + #""incident":"INC-\#(String(format: "%06d", n))","rule":"offline","msg":"was P1 P2"}"#
        }
        try writeLog(lines)
        let result = try cli(["tail", "--priority", "P1", "-n", "3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let printed = outputLines(result.stdout)
        XCTAssertEqual(printed, [lines[5], lines[7], lines[9]])
        for line in printed {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertEqual(object?["priority"] as? String, "P1")
        }
    }

    // MARK: - Colour

    func testOutputIsPlainWhenPiped() throws {
        try writeConfig()
        let lines = [
            "OPEN", "ESCALATE", "UPDATE", "FLAPPING", "ACK", "DISPATCH", "ARRIVE", "NOTE", "RESOLVE",
            "SLA-BREACH",
        ].enumerated().map { alertLine($0.offset + 1, event: $0.element, priority: "P1") }
        try writeLog(lines)
        let result = try runCommand(
            Binaries.path("fleetwatch"), ["tail", "--config", configPath],
            environment: ["NO_COLOR": ""])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("\u{1B}"), "escape bytes in piped output")
        XCTAssertEqual(result.stdout, lines.joined(separator: "\n") + "\n")
    }

    func testOutputIsColouredOnATerminalUnlessNoColorIsSet() throws {
        let script = "/usr/bin/script"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: script), "needs script(1) for a terminal")
        try writeConfig()
        try writeLog([alertLine(1, event: "OPEN", priority: "P1"), alertLine(2, event: "RESOLVE")])
        let command = "\(Binaries.path("fleetwatch")) tail --config \(configPath)"
        let coloured = try runCommand(script, ["-qec", command, "/dev/null"], environment: ["NO_COLOR": ""])
        XCTAssertEqual(coloured.status, 0, coloured.stderr)
        let open = "\u{1B}[31mOPEN\u{1B}[0m \u{1B}[1mP1\u{1B}[0m INC-000001"
        XCTAssertTrue(coloured.stdout.contains(open), coloured.stdout)
        XCTAssertTrue(coloured.stdout.contains("\u{1B}[32mRESOLVE\u{1B}[0m P2 INC-000002"), coloured.stdout)
        let plain = try runCommand(script, ["-qec", command, "/dev/null"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("INC-000002"), plain.stdout)
        XCTAssertFalse(plain.stdout.contains("\u{1B}"), plain.stdout)
    }

    // MARK: - Errors

    func testMissingLogFailsWithOneLine() throws {
        try writeConfig()
        let result = try cli(["tail"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(alertLogPath), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testBadOptionsAreUsageErrors() throws {
        try writeConfig()
        try writeLog([alertLine(1)])
        XCTAssertEqual(try cli(["tail", "--priority", "P3"]).status, 2)
        XCTAssertEqual(try cli(["tail", "-n", "many"]).status, 2)
        XCTAssertEqual(try cli(["tail", "-n", "-1"]).status, 2)
    }

    // MARK: - Follow

    func testFollowPrintsAppendedLinesAndExitsZeroOnInterrupt() throws {
        try writeConfig()
        try writeLog([alertLine(1), alertLine(2)])
        let tail = try startTail(["-f", "-n", "5"])
        XCTAssertTrue(waitUntil(5) { followed(tail) == [alertLine(1), alertLine(2)] }, tail.log)
        try appendLog([alertLine(3)])
        // A line written in two parts is printed once, whole.
        let split = alertLine(4, event: "ACK")
        try appendRaw(String(split.prefix(40)))
        Thread.sleep(forTimeInterval: 0.5)  // at least two polls see the unfinished line
        try appendRaw(String(split.dropFirst(40)) + "\n")
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 4 }, tail.log)
        XCTAssertEqual(followed(tail), [alertLine(1), alertLine(2), alertLine(3), split])
        tail.signal(SIGINT)
        XCTAssertEqual(tail.wait(timeout: 5), 0)
        XCTAssertEqual(tail.process.terminationReason, .exit)
    }

    func testFollowWithZeroLinesPrintsOnlyNewOnesAndExitsZeroOnTerm() throws {
        try writeConfig()
        try writeLog([alertLine(1), alertLine(2)])
        let tail = try startTail(["-f", "-n", "0"])
        XCTAssertTrue(waitUntil(5) { hasLogOpen(tail) }, "tail did not open the alert log")
        try appendLog([alertLine(3)])
        XCTAssertTrue(waitUntil(5) { !followed(tail).isEmpty }, tail.log)
        XCTAssertEqual(followed(tail), [alertLine(3)])
        tail.signal(SIGTERM)
        XCTAssertEqual(tail.wait(timeout: 5), 0)
        XCTAssertEqual(tail.process.terminationReason, .exit)
    }

    func testFollowFiltersByPriority() throws {
        try writeConfig()
        try writeLog([alertLine(1, priority: "P1"), alertLine(2)])
        let tail = try startTail(["-f", "--priority", "P1"])
        XCTAssertTrue(waitUntil(5) { followed(tail) == [alertLine(1, priority: "P1")] }, tail.log)
        try appendLog([alertLine(3), alertLine(4, event: "ESCALATE", priority: "P1"), alertLine(5)])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 2 }, tail.log)
        try appendLog([alertLine(6, priority: "P1")])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 3 }, tail.log)
        XCTAssertEqual(
            followed(tail),
            [
                alertLine(1, priority: "P1"), alertLine(4, event: "ESCALATE", priority: "P1"),
                alertLine(6, priority: "P1"),
            ])
    }

    /// logrotate `create`: the log is renamed and a new one created; the writer keeps writing to the
    /// old file until it reopens. Every line of both files is printed once, in order.
    func testFollowSurvivesRotationByRenameAndCreate() throws {
        try writeConfig()
        try writeLog([alertLine(1)])
        let tail = try startTail(["-f"])
        XCTAssertTrue(waitUntil(5) { followed(tail) == [alertLine(1)] }, tail.log)
        try appendLog([alertLine(2)])
        let rotated = alertLogPath + ".1"
        try FileManager.default.moveItem(atPath: alertLogPath, toPath: rotated)
        try appendLog([alertLine(3)], to: rotated)  // before the writer reopens
        XCTAssertTrue(FileManager.default.createFile(atPath: alertLogPath, contents: nil))
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 3 }, tail.log)
        Thread.sleep(forTimeInterval: 0.5)  // tail has seen the new, still empty, file
        try appendLog([alertLine(4)], to: rotated)  // still before the reopen
        try appendLog([alertLine(5), alertLine(6)])  // the writer has reopened
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 6 }, tail.log)
        // A second rotation works the same way.
        try FileManager.default.moveItem(atPath: alertLogPath, toPath: alertLogPath + ".2")
        try writeLog([alertLine(7)])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 7 }, tail.log)
        XCTAssertEqual(followed(tail), (1...7).map { alertLine($0) })
    }

    /// logrotate `copytruncate`: the log is copied and truncated in place; reading restarts at 0.
    func testFollowSurvivesCopytruncate() throws {
        try writeConfig()
        try writeLog((1...3).map { alertLine($0) })
        let tail = try startTail(["-f"])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 3 }, tail.log)
        try FileManager.default.copyItem(atPath: alertLogPath, toPath: alertLogPath + ".1")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: alertLogPath))
        try handle.truncate(atOffset: 0)
        try handle.close()
        Thread.sleep(forTimeInterval: 0.5)  // tail sees the empty file
        try appendLog([alertLine(4, event: "RESOLVE")])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 4 }, tail.log)
        // Truncated and refilled between two polls, to less than was read: still seen as a restart.
        let handle2 = try XCTUnwrap(FileHandle(forWritingAtPath: alertLogPath))
        try handle2.truncate(atOffset: 0)
        try handle2.close()
        try appendLog([alertLine(5)])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 5 }, tail.log)
        XCTAssertEqual(followed(tail), (1...3).map { alertLine($0) } + [alertLine(4, event: "RESOLVE"), alertLine(5)])
    }

    func testFollowWaitsForAMissingLog() throws {
        try writeConfig()
        let tail = try startTail(["-f"])
        XCTAssertTrue(waitUntil(5) { tail.log.contains("waiting for") }, tail.log)
        XCTAssertTrue(tail.isRunning)
        try writeLog([alertLine(1), alertLine(2)])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 2 }, tail.log)
        try appendLog([alertLine(3)])
        XCTAssertTrue(waitUntil(5) { followed(tail).count == 3 }, tail.log)
        XCTAssertEqual(followed(tail), (1...3).map { alertLine($0) })
    }

    // MARK: - Helpers

    /// A text alert line like the daemon's, told apart by its incident number.
    func alertLine(_ n: Int, event: String = "OPEN", priority: String = "P2") -> String {
        "2026-11-26T21:30:04.120+08:00 \(event) \(priority) INC-\(String(format: "%06d", n)) rule=offline "
            + "site=tianshan kind=delivery-robot device=robot-01 respond_by=2026-11-27T10:30:04+08:00 "
            + #"msg="no heartbeat for 31.2s (expected every 10s)""#
    }

    func writeLog(_ lines: [String]) throws {
        try (lines.map { $0 + "\n" }.joined()).write(toFile: alertLogPath, atomically: false, encoding: .utf8)
    }

    func appendLog(_ lines: [String], to path: String? = nil) throws {
        try appendRaw(lines.map { $0 + "\n" }.joined(), to: path ?? alertLogPath)
    }

    func appendRaw(_ text: String, to path: String? = nil) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path ?? alertLogPath))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func outputLines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    func startTail(_ arguments: [String]) throws -> ChildProcess {
        let child = try ChildProcess(
            name: "fleetwatch tail", executable: Binaries.path("fleetwatch"),
            arguments: ["tail", "--config", configPath] + arguments,
            logPath: directory + "/tail-\(children.count).log")
        children.append(child)
        return child
    }

    /// The alert lines a following tail has printed (its log also holds stderr).
    func followed(_ child: ChildProcess) -> [String] {
        outputLines(child.log).filter { $0.hasPrefix("2026-") }
    }

    /// Whether the process holds the alert log open (Linux /proc), so a test can append knowing
    /// the tail started before.
    func hasLogOpen(_ child: ChildProcess) -> Bool {
        let fds = "/proc/\(child.pid)/fd"
        let target = URL(fileURLWithPath: alertLogPath).resolvingSymlinksInPath().path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? []
        return entries.contains {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\($0)")) == target
        }
    }
}
