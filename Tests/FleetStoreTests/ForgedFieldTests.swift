import Foundation
import XCTest

@testable import FleetCore
@testable import FleetStore

/// Issue 11, item 4, in storage: an event's text is stored and read back exactly, whatever it
/// holds. Before, a NUL cut the text short (bound with length -1, read with `strlen`), and a
/// note holding the field separators U+001E/U+001F read back as forged extra fields.
final class ForgedFieldTests: XCTestCase {
    private var directory = ""
    private var path: String { directory + "/fleetwatch.db" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "forged-fields-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testTextWithSeparatorsNulAndEscapesReadsBackExactly() throws {
        let writer = try StoreWriter(path: path)
        let hostile = [
            "a\u{0}b", "x\u{1E}by\u{1F}admin", "\u{1F}", "\u{1E}\u{1E}", "private \u{E000} use \u{E001}\u{E002}",
            "\u{E000}\u{1E}", "\u{1B}[2K\u{2028}\u{85}", "",
        ]
        let fields =
            [AlertEvent.Field("by", "mallory\u{1E}by\u{1F}root")]
            + hostile.enumerated().map { AlertEvent.Field("msg\($0.offset)", $0.element) }
        let committed = try writer.commit([
            .announce(
                AlertEvent(
                    time: 1_795_699_804, kind: .note, priority: .p2,
                    incidentID: 3, fields: fields))
        ])
        let stored = try XCTUnwrap(try StoreReader(path: path).events(of: 3).first)
        XCTAssertEqual(stored.fields, fields)
        XCTAssertEqual(stored, try XCTUnwrap(committed.first))
        XCTAssertEqual(try writer.unannouncedEvents().first?.fields, fields)
    }

    func testADeviceRecordKeepsANulInItsFirmware() throws {
        let writer = try StoreWriter(path: path)
        let record = DeviceRecord(
            id: "robot-01", site: "tianshan", kind: "delivery-robot", name: nil, inventory: false,
            state: .online, stateSince: 1_795_699_804, firmware: "1.2\u{0}\u{1B}[31m")
        _ = try writer.commit([.saveDevice(record)])
        XCTAssertEqual(try writer.restore().devices.first?.firmware, "1.2\u{0}\u{1B}[31m")
    }
}
