import FleetControl
import FleetCore
import Testing

/// `maintenance-add` with `every` (recurring maintenance, SPEC §10) on the wire.
struct RecurringMaintenanceRequestTests {
    @Test func aRecurringWindowIsOneLineThatDecodesToItself() throws {
        let every = try MaintenanceRecurrence.parse("mon,tue 21:00-09:00").get()
        let request = ControlRequest.addMaintenance(
            MaintenanceWindow(
                site: "tianshan", from: 100, until: MaintenanceWindow.noEnd, reason: "closed", createdBy: "li",
                every: every))
        let line = try request.encodedLine()
        #expect(line.contains(#""every":"mon,tue 21:00-09:00""#))
        // Its own op: a daemon from before recurring windows refuses it instead of keeping one
        // window from now until 9999.
        #expect(line.contains(#""op":"maintenance-add-recurring""#))
        #expect(try ControlRequest(line: String(line.dropLast())) == request)
    }

    @Test func aWindowWithoutEveryIsOneOff() throws {
        let request = try ControlRequest(line: #"{"op":"maintenance-add","by":"x","site":"a","from":1,"until":2}"#)
        guard case .addMaintenance(let window) = request else {
            Issue.record("not a maintenance-add: \(request)")
            return
        }
        #expect(window.every == nil)
    }

    @Test func aBadEveryIsRefusedAndSaysWhy() {
        #expect(
            throws: ControlRequestError(
                #"maintenance-add-recurring: every has "funday"; DAYS is daily or a comma "#
                    + "list of mon, tue, wed, thu, fri, sat, sun")
        ) {
            try ControlRequest(
                line: #"{"op":"maintenance-add-recurring","by":"x","site":"a","from":1,"until":2,"#
                    + #""every":"funday 01:00-02:00"}"#)
        }
        #expect(throws: ControlRequestError(#"maintenance-add-recurring needs every ("DAYS HH:MM-HH:MM")"#)) {
            try ControlRequest(line: #"{"op":"maintenance-add-recurring","by":"x","site":"a","from":1,"until":2}"#)
        }
    }
}
