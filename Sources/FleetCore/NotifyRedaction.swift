/// How notification URLs are shown wherever an operator or a log can see them: user info and
/// query values hidden (a WeCom robot's `key=…`, a DingTalk robot's `access_token=…`, `user:pass@`
/// are all credentials), the rest kept so the operator still sees which receiver it is.
public enum NotifyRedaction {
    public static func url(_ text: String) -> String {
        var rest = Substring(text)
        var out = ""
        if let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                out += "***@" + authority[authority.index(after: at)...]
            } else {
                out += authority
            }
            rest = rest[authorityEnd...]
        }
        guard let question = rest.firstIndex(of: "?") else { return out + rest }
        out += rest[...question]
        let afterQuery = rest[rest.index(after: question)...]
        let queryEnd = afterQuery.firstIndex(of: "#") ?? afterQuery.endIndex
        let pairs = afterQuery[..<queryEnd].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            return pair[..<equals] + "=***"
        }
        return out + pairs.joined(separator: "&") + afterQuery[queryEnd...]
    }

    /// A message that may quote `secretURL` (an error naming the request), with the URL redacted.
    public static func message(_ text: String, url secretURL: String) -> String {
        guard !secretURL.isEmpty else { return text }
        return text.replacing(secretURL, with: url(secretURL))
    }
}
