import XCTest

@testable import FleetCore

final class ActiveErrorsTests: XCTestCase {
    private let locker = DeviceRecord(
        id: "locker-01", site: "tianshan", kind: "pickup-locker", inventory: false,
        state: .online, stateSince: at(0).wall)

    private func summary(_ findings: [Finding]) -> [String] {
        findings.map {
            switch $0 {
            case .holds(let p): "holds \(p.priority.rawValue) \(p.code ?? "-") \(p.summary)"
            case .revised(let p): "revised \(p.priority.rawValue) \(p.code ?? "-") \(p.summary)"
            case .cleared(let k): "cleared \(k.subject)"
            }
        }
    }

    func testAHeartbeatWithTheSameCodesChangesNothing() {
        var e = ActiveErrors(kinds: KindSettings.builtIn)
        XCTAssertNil(e.update(1, []))
        XCTAssertEqual(
            e.update(1, ["E_SCANNER", "E_DOOR_JAM"]),
            ActiveErrors.Change(before: [], after: ["E_DOOR_JAM", "E_SCANNER"]))
        XCTAssertNil(e.update(1, ["E_DOOR_JAM", "E_SCANNER"]), "same codes in another order")
        XCTAssertNil(e.update(1, ["E_SCANNER", "E_DOOR_JAM", "E_SCANNER"]), "a repeat is the same code")
        XCTAssertEqual(e.codes(1), ["E_DOOR_JAM", "E_SCANNER"])
        XCTAssertEqual(e.update(1, []), ActiveErrors.Change(before: ["E_DOOR_JAM", "E_SCANNER"], after: []))
        XCTAssertEqual(e.codes(1), [])
        XCTAssertNil(e.update(1, []))
    }

    func testACodeWithAPriorityHoldsAndOneWithoutIsOnlyDescribed() {
        let e = ActiveErrors(kinds: KindSettings.builtIn)
        let findings = e.findings(
            ActiveErrors.Change(before: [], after: ["E_DOOR_JAM", "E_SCANNER", "E_UNKNOWN"]), locker)
        XCTAssertEqual(
            summary(findings),
            [
                "holds P1 E_DOOR_JAM E_DOOR_JAM: a locker door is jammed",
                "cleared device:locker-01#E_SCANNER",
                "cleared device:locker-01#E_UNKNOWN",
            ])
        XCTAssertEqual(e.entry("E_SCANNER", kind: "pickup-locker")?.text, "barcode scanner not responding")
    }

    func testACodeThatWentAwayClears() {
        let e = ActiveErrors(kinds: KindSettings.builtIn)
        XCTAssertEqual(
            summary(e.findings(ActiveErrors.Change(before: ["E_DOOR_JAM", "E_LOCK"], after: ["E_LOCK"]), locker)),
            [
                "holds P2 E_LOCK E_LOCK: door lock controller not responding: doors cannot be opened",
                "cleared device:locker-01#E_DOOR_JAM",
            ])
    }

    func testCatalogsAreTheKindsAndAReloadReplacesThem() {
        var kinds = KindSettings.builtIn
        kinds["pickup-locker"]?.errorCodes["E_SCANNER"] = ErrorCode("scanner dead", priority: .p2)
        var e = ActiveErrors(kinds: KindSettings.builtIn)
        XCTAssertNil(e.entry("E_SCANNER", kind: "pickup-locker")?.priority)
        XCTAssertNil(e.entry("E_DOOR_JAM", kind: "face-gate"), "catalogs are per kind")
        e.configure(kinds: kinds)
        XCTAssertEqual(e.entry("E_SCANNER", kind: "pickup-locker"), ErrorCode("scanner dead", priority: .p2))
    }

    func testRestoredCodesCountAsActiveUntilAHeartbeatWithoutThem() {
        var e = ActiveErrors(kinds: KindSettings.builtIn)
        e.restore(3, code: "E_DOOR_JAM")
        e.restore(3, code: "E_DOOR_JAM")
        XCTAssertEqual(e.codes(3), ["E_DOOR_JAM"])
        XCTAssertEqual(e.update(3, []), ActiveErrors.Change(before: ["E_DOOR_JAM"], after: []))
    }

    func testEveryBuiltInKindHasACatalogWithSomePriorities() {
        for name in KindSettings.builtInNames {
            let codes = KindSettings.builtIn[name]?.errorCodes ?? [:]
            XCTAssertGreaterThanOrEqual(codes.count, 3, name)
            XCTAssertTrue(codes.values.contains { $0.priority != nil }, name)
            XCTAssertTrue(codes.values.contains { $0.priority == nil }, name)
            XCTAssertTrue(codes.keys.allSatisfy(TopicParser.isValidIdentifier), name)
        }
    }
}
