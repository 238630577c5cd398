import FleetCore

/// Left-aligned columns separated by two spaces: the readable form of every listing.
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    /// Cells may hold what devices and operators sent: printed with their control characters
    /// escaped (`TextSafety`), so a cell can neither break the table nor repaint the terminal.
    mutating func add(_ row: [String]) { rows.append(row.map(TextSafety.forTerminal)) }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                out += last ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            return out
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
