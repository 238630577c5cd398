/// Reads alert-log lines back: the daemon does at start, to continue incident ids after every id
/// the log has used (also those of lines written before their commit, SPEC §7) and to learn
/// which lines never reached the database.
public enum AlertLine {
    /// Ids above this are taken for garbage (a hand edit, a torn fragment), not for ids to
    /// continue after: a forged `INC-9223372036854775807` must not make the next id overflow.
    public static let largestPlausibleID: Int64 = 999_999_999_999

    /// The incident id of a line, read from its bytes without decoding the rest: the fourth word
    /// of a text line, the value of `"incident"` in a JSON one. nil for anything else.
    public static func incidentID(
        _ line: UnsafeBufferPointer<UInt8>,
        format: StorageSettings.AlertLogFormat
    ) -> Int64? {
        let label: Range<Int>
        switch format {
        case .text:
            // TIMESTAMP EVENT PRIORITY INC-n …
            var spaces = 0
            var start = 0
            var i = 0
            while i < line.count, spaces < 3 {
                if line[i] == 0x20 {
                    spaces += 1
                    start = i + 1
                }
                i += 1
            }
            guard spaces == 3 else { return nil }
            var end = start
            while end < line.count, line[end] != 0x20 { end += 1 }
            label = start..<end
        case .json:
            // {"ts":…,"event":…,"priority":…,"incident":"INC-n",…}: the first `"incident":"` is
            // the key; a value cannot hold a raw `"`.
            guard let start = firstIndex(of: Self.jsonKey, in: line) else { return nil }
            var end = start
            while end < line.count, line[end] != UInt8(ascii: "\"") { end += 1 }
            label = start..<end
        }
        return parseLabel(UnsafeBufferPointer(rebasing: line[label]))
    }

    private static let jsonKey = Array(#""incident":""#.utf8)

    /// `INC-` and 1 to 12 digits.
    private static func parseLabel(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count > 4, bytes.count <= 16, bytes[0] == UInt8(ascii: "I"), bytes[1] == UInt8(ascii: "N"),
            bytes[2] == UInt8(ascii: "C"), bytes[3] == UInt8(ascii: "-")
        else { return nil }
        var id: Int64 = 0
        for b in bytes[4...] {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            id = id * 10 + Int64(b - UInt8(ascii: "0"))
        }
        return id > 0 && id <= largestPlausibleID ? id : nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i + needle.count }
            }
            i += 1
        }
        return nil
    }

    /// The event a line records, exactly as `textLine`/`jsonLine` rendered it (times to the
    /// millisecond); nil for a line that is not one of ours.
    public static func event(_ line: String, format: StorageSettings.AlertLogFormat) -> AlertEvent? {
        let pairs: [(String, String)]?
        switch format {
        case .text: pairs = textPairs(line)
        case .json: pairs = jsonPairs(line)
        }
        guard let pairs, pairs.count >= 4, pairs[0].0 == "ts", pairs[1].0 == "event", pairs[2].0 == "priority",
            pairs[3].0 == "incident",
            let time = RFC3339.parse(pairs[0].1), let kind = AlertEvent.Kind(rawValue: pairs[1].1),
            let priority = Priority(rawValue: pairs[2].1), let id = Incident.parseLabel(pairs[3].1),
            pairs[3].1.hasPrefix("INC-"), id <= largestPlausibleID
        else { return nil }
        return AlertEvent(
            time: time, kind: kind, priority: priority, incidentID: id,
            fields: pairs.dropFirst(4).map { AlertEvent.Field($0.0, $0.1) })
    }

    /// `TS EVENT PRIORITY INCIDENT key=value…`, values unquoted as `quoteIfNeeded` quoted them.
    private static func textPairs(_ line: String) -> [(String, String)]? {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var scalars = line.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if quoted && c == "\\" {
                guard let e = scalars.next() else { return nil }
                switch e {
                case "n": current.append("\n")
                case "r": current.append("\r")
                case "t": current.append("\t")
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
                    guard hex.count == 4, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else { return nil }
                    current.append(s)
                default: current.append(e)
                }
            } else if c == "\"" {
                quoted.toggle()
            } else if c == " " && !quoted {
                words.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
        }
        guard !quoted else { return nil }
        words.append(String(current))
        guard words.count >= 4 else { return nil }
        var pairs = [("ts", words[0]), ("event", words[1]), ("priority", words[2]), ("incident", words[3])]
        for word in words.dropFirst(4) {
            guard let equals = word.firstIndex(of: "=") else { return nil }
            pairs.append((String(word[..<equals]), String(word[word.index(after: equals)...])))
        }
        return pairs
    }

    /// One JSON object of string values, keys in their order.
    private static func jsonPairs(_ line: String) -> [(String, String)]? {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBytes { raw -> [(String, String)]? in
            var s = JSONScanner(UnsafeRawBufferPointer(raw))
            var pairs: [(String, String)] = []
            do {
                try s.expect(UInt8(ascii: "{"))
                if try s.consume(UInt8(ascii: "}")) { return pairs }
                repeat {
                    let key = try s.readString()
                    try s.expect(UInt8(ascii: ":"))
                    pairs.append((key, try s.readString()))
                } while try s.consume(UInt8(ascii: ","))
                try s.expect(UInt8(ascii: "}"))
                s.skipWhitespace()
                return s.isAtEnd ? pairs : nil
            } catch {
                return nil
            }
        }
    }
}
