import FleetCore

/// Which endpoint a request asks for (SPEC §9, §16), decided from method, path and query alone:
/// unknown paths are 404, methods other than GET 405, bad query values 400.
enum ReadRoute: Hashable, Sendable {
    case healthz
    case metrics
    case page(site: String?, language: ReportLanguage?)
    case status
    case devices(site: String?, kind: String?, state: DeviceState?)
    case incidents(all: Bool, priority: Priority?)
    /// nil: not an incident id at all (answered 404 like an unknown one).
    case incident(Int64?)
    case notFound
    case methodNotAllowed
    case badRequest(String)

    /// Paths under this prefix answer errors in JSON.
    static let apiPrefix = "/api/v1/"

    static func resolve(method: String, path: String, query: [HTTPRequestHead.QueryItem]) -> ReadRoute {
        let route = resolve(path: path, query: query)
        guard route != .notFound else { return .notFound }
        return method == "GET" ? route : .methodNotAllowed
    }

    private static func resolve(path: String, query: [HTTPRequestHead.QueryItem]) -> ReadRoute {
        switch path {
        case "/healthz": return .healthz
        case "/metrics": return .metrics
        case "/":
            return parse(query, allowed: ["site", "lang"]) { q in
                var language: ReportLanguage?
                if let lang = q["lang"] {
                    guard let chosen = ReportLanguage(rawValue: lang) else {
                        return .badRequest("lang must be zh-CN or en (got \"\(lang)\")")
                    }
                    language = chosen
                }
                return .page(site: q["site"], language: language)
            }
        case "/api/v1/status":
            return parse(query, allowed: []) { _ in .status }
        case "/api/v1/devices":
            return parse(query, allowed: ["site", "kind", "state"]) { q in
                var state: DeviceState?
                if let text = q["state"] {
                    guard let parsed = DeviceState(rawValue: text) else {
                        let names = DeviceState.allCases.map(\.rawValue).joined(separator: ", ")
                        return .badRequest("state must be one of \(names) (got \"\(text)\")")
                    }
                    state = parsed
                }
                return .devices(site: q["site"], kind: q["kind"], state: state)
            }
        case "/api/v1/incidents":
            return parse(query, allowed: ["all", "priority"]) { q in
                var all = false
                if let text = q["all"] {
                    switch text {
                    case "1", "true", "yes": all = true
                    case "0", "false", "no": all = false
                    default: return .badRequest("all must be 1 or 0 (got \"\(text)\")")
                    }
                }
                var priority: Priority?
                if let text = q["priority"] {
                    guard let parsed = Priority(rawValue: text.uppercased()) else {
                        return .badRequest("priority must be P1 or P2 (got \"\(text)\")")
                    }
                    priority = parsed
                }
                return .incidents(all: all, priority: priority)
            }
        default:
            let prefix = "/api/v1/incidents/"
            guard path.hasPrefix(prefix), path.count > prefix.count else { return .notFound }
            let label = String(path.dropFirst(prefix.count))
            guard !label.contains("/") else { return .notFound }
            return parse(query, allowed: []) { _ in .incident(Incident.parseLabel(label)) }
        }
    }

    /// Each allowed parameter at most once, none other: a misspelt filter is an error, not a
    /// silently unfiltered answer.
    private static func parse(
        _ query: [HTTPRequestHead.QueryItem], allowed: Set<String>,
        _ make: ([String: String]) -> ReadRoute
    ) -> ReadRoute {
        var values: [String: String] = [:]
        for item in query {
            guard allowed.contains(item.name) else {
                let known = allowed.sorted().joined(separator: ", ")
                return .badRequest(
                    "unknown query parameter \"\(item.name)\"" + (known.isEmpty ? "" : " (use \(known))"))
            }
            guard values.updateValue(item.value, forKey: item.name) == nil else {
                return .badRequest("query parameter \"\(item.name)\" given twice")
            }
        }
        return make(values)
    }

    /// Whether the read API's JSON error shape applies (`{"error": "…"}`).
    static func isAPI(_ path: String) -> Bool { path.hasPrefix(apiPrefix) }
}
