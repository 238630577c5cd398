import FleetControl
import FleetCore
import Foundation
import Testing

/// The control protocol's wire format: what the CLI sends and the daemon accepts, one JSON line
/// each way, as it was before the protocol was typed (the lines below are what earlier CLIs sent).
struct ControlProtocolTests {
    @Test(arguments: [
        (#"{"op":"ping"}"#, ControlRequest.ping),
        (
            #"{"op":"ack","incident":"INC-000123","by":"li.wei","note":"on it"}"#,
            .acknowledge(incident: 123, by: "li.wei", note: "on it")
        ),
        (
            #"{"op":"ack","incident":"123","by":"li.wei","note":null}"#,
            .acknowledge(incident: 123, by: "li.wei", note: nil)
        ),
        (
            #"{"op":"ack","incident":"inc-7","by":"li.wei","note":""}"#,
            .acknowledge(incident: 7, by: "li.wei", note: nil)
        ),
        (#"{"op":"dispatch","incident":"INC-000002","by":"wang"}"#, .dispatch(incident: 2, by: "wang")),
        (#"{"op":"arrive","incident":"INC-000002","by":"wang"}"#, .arrive(incident: 2, by: "wang")),
        (
            #"{"op":"resolve","incident":"INC-000002","by":"wang","note":"replaced the motor"}"#,
            .resolve(incident: 2, by: "wang", note: "replaced the motor")
        ),
        (
            #"{"op":"note","incident":"INC-000002","by":"wang","text":"parts ordered"}"#,
            .note(incident: 2, by: "wang", text: "parts ordered")
        ),
        (
            #"{"op":"maintenance-add","site":null,"device":"robot-01","from":100,"until":200.5,"reason":null,"by":"li"}"#,
            .addMaintenance(MaintenanceWindow(device: "robot-01", from: 100, until: 200.5, createdBy: "li"))
        ),
        (#"{"op":"maintenance-remove","id":"MW-3"}"#, .removeMaintenance(window: 3)),
        (#"{"op":"device","device":"robot-01"}"#, .device(id: "robot-01")),
        (#"{"op":"quality"}"#, .quality(site: nil, kind: nil)),
        (#"{"op":"quality","site":"tianshan","kind":""}"#, .quality(site: "tianshan", kind: nil)),
    ])
    func earlierRequestLinesDecodeToTheirTypedRequest(line: String, request: ControlRequest) throws {
        #expect(try ControlRequest(line: line) == request)
    }

    @Test(arguments: [
        ControlRequest.ping,
        .acknowledge(incident: 123, by: "li.wei", note: "a \"quoted\" note\nover two lines"),
        .acknowledge(incident: 1, by: "li.wei", note: nil),
        .dispatch(incident: 9, by: "wang"), .arrive(incident: 9, by: "wang"),
        .resolve(incident: 9, by: "wang", note: nil), .note(incident: 9, by: "wang", text: "天山路"),
        .addMaintenance(MaintenanceWindow(site: "tianshan", from: 1.25, until: 2, reason: "firmware", createdBy: "li")),
        .removeMaintenance(window: 12),
        .device(id: "locker-01"), .quality(site: "tianshan", kind: "pickup-locker"), .quality(site: nil, kind: nil),
    ])
    func everyRequestIsOneLineThatDecodesToItself(request: ControlRequest) throws {
        let line = try request.encodedLine()
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(try ControlRequest(line: String(line.dropLast())) == request)
    }

    @Test func aRequestLineIsTheSameEveryTime() throws {
        let request = ControlRequest.acknowledge(incident: 5, by: "li", note: "n")
        #expect(try request.encodedLine() == #"{"by":"li","incident":"INC-000005","note":"n","op":"ack"}"# + "\n")
    }

    @Test func incidentsGoOnTheWireAsLabels() throws {
        let line = try ControlRequest.dispatch(incident: 42, by: "wang").encodedLine()
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["op"] as? String == "dispatch")
        #expect(object["incident"] as? String == "INC-000042")
    }

    @Test(arguments: [
        ("not json", #"request must be a JSON object with an "op""#),
        (#"["op","ack"]"#, #"request must be a JSON object with an "op""#),
        (#"{"incident":"INC-1"}"#, #"request must be a JSON object with an "op""#),
        (#"{"op":"reboot","by":"x"}"#, #"unknown op "reboot""#),
        (#"{"op":"ack","incident":"INC-1"}"#, #"ack needs "by" (who does it)"#),
        (#"{"op":"ack","incident":"INC-1","by":""}"#, #"ack needs "by" (who does it)"#),
        (#"{"op":"ack","incident":"INC-1","by":7}"#, #"ack needs "by" (who does it)"#),
        (#"{"op":"ack","incident":"bogus","by":"x"}"#, "ack needs an incident id like INC-000123"),
        (#"{"op":"note","incident":"INC-1","by":"x"}"#, "note needs a text"),
        (#"{"op":"maintenance-remove","id":"3x"}"#, "maintenance-remove needs an id like MW-1"),
        (
            #"{"op":"maintenance-add","by":"x","site":"a","device":"b","from":1,"until":2}"#,
            "maintenance-add needs from, until and exactly one of site or device"
        ),
        (
            #"{"op":"maintenance-add","by":"x","site":"a","from":"soon","until":2}"#,
            "maintenance-add needs from, until and exactly one of site or device"
        ),
    ])
    func aBadRequestIsRefusedWithWhatItNeeds(line: String, message: String) {
        #expect(throws: ControlRequestError(message)) { try ControlRequest(line: line) }
    }

    @Test func repliesKeepTheirWireForm() throws {
        #expect(
            ControlReply.success("INC-000001 acknowledged by li").line
                == #"{"message":"INC-000001 acknowledged by li","ok":true}"# + "\n")
        #expect(
            ControlReply.failure("no incident INC-000009").line == #"{"error":"no incident INC-000009","ok":false}"#
                + "\n")
        // What the daemon answered before the protocol was typed reads the same.
        #expect(ControlReply(bytes: Array(#"{"ok":true,"message":"MW-1"}"#.utf8)) == .success("MW-1"))
        #expect(
            ControlReply(bytes: Array(#"{"ok":false,"error":"no such window"}"#.utf8)) == .failure("no such window"))
        #expect(ControlReply(bytes: Array(#"{"ok":true}"#.utf8)) == .success("ok"))
        #expect(ControlReply(bytes: Array(#"{"ok":false}"#.utf8)) == .failure("fleetwatchd refused the request"))
        #expect(ControlReply(bytes: []) == nil)
        #expect(ControlReply(bytes: Array("garbage".utf8)) == nil)
    }
}
