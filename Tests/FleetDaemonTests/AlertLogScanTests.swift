import FleetCore
import Foundation
import Testing

@testable import FleetDaemon

/// Issue 11, items 1 and 2: what the alert log tells the daemon at start about incident ids.
struct AlertLogScanTests {
    private let time = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    private func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "alert-scan-\(UUID().uuidString.prefix(8)).log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func event(
        _ id: Int64, _ kind: AlertEvent.Kind = .open, rule: String = "offline", at t: Double = 1_795_699_804
    ) -> AlertEvent {
        AlertEvent(
            time: t, kind: kind, priority: .p2, incidentID: id, fields: [.init("rule", rule), .init("msg", "x y")])
    }

    @Test(arguments: [StorageSettings.AlertLogFormat.text, .json])
    func theHighestIdOfEveryLineCountsAndUnrecordedStorageFailuresAreReadInFull(
        format: StorageSettings.AlertLogFormat
    ) throws {
        let log = AlertLog(path: "", format: format)
        let lines = [
            event(3), event(12), event(7, .resolve), event(40, rule: "storage-failure"),
            event(9, .note, at: 1_795_699_900),
        ]
        .map { log.render($0, time) }
        let path = try file(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scan = try AlertLogScan.read([path, path + ".missing"], format: format, unrecordedFrom: 12)
        #expect(scan.highestID == 40)
        #expect(
            scan.unrecorded == [event(40, rule: "storage-failure")], "only storage-failure lines precede their commit")
        #expect(scan.newestTime == 1_795_699_900)
    }

    @Test func aTailReadStartsAtTheNextWholeLine() throws {
        let log = AlertLog(path: "", format: .text)
        let lines = (1...100).map { log.render(event(Int64($0)), time) }
        let path = try file(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tail = Int64(lines.suffix(10).joined(separator: "\n").utf8.count + 1 + 20)  // ten lines and part of one
        let scan = try AlertLogScan.read([path], format: .text, unrecordedFrom: .max, tailBytes: tail)
        #expect(scan.highestID == 100)
        #expect(scan.bytesRead == tail)
        let head = try AlertLogScan.read([path], format: .text, unrecordedFrom: .max, tailBytes: 0)
        #expect(head.highestID == 0)
    }

    @Test func aTornLastLineStillNamesItsIdAndLongLogsAreReadInChunks() throws {
        var text = ""
        let filler = AlertLog(path: "", format: .text).render(event(5, .note), time) + "\n"
        while text.utf8.count < 3 * AlertLogScan.chunkSize { text += filler }
        text += "2026-11-26T21:30:04.120+08:00 OPEN P1 INC-000077 rule=stor"  // no newline: torn by a crash
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scan = try AlertLogScan.read([path], format: .text, unrecordedFrom: .max)
        #expect(scan.highestID == 77)
        #expect(scan.bytesRead == Int64(text.utf8.count))
    }

    @Test func aMissingLogSaysNothing() throws {
        let scan = try AlertLogScan.read(
            [NSTemporaryDirectory() + "no-such-\(UUID().uuidString).log"], format: .text,
            unrecordedFrom: 1)
        #expect(scan.highestID == 0)
        #expect(scan.unrecorded.isEmpty)
    }
}
