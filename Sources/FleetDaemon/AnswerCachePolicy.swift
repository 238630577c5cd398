/// When an answer that reads the database is made anew and when the last one made is served
/// (the status page and the read API, SPEC §16). An answer that takes longer than `slowSeconds`
/// to make (the page or `/api/v1/devices` of a very large fleet while the machine is busy with
/// ingest) is served from the last one made, if that is at most `maxAgeSeconds` old, while one
/// worker makes the next: a wall screen polling every few seconds then gets its page at once,
/// however long a render takes, and many screens cost one render per `freshSeconds`. An answer
/// that is quick to make is always made anew, so a small fleet reads its own writes at once.
/// Pure: the caller gives the times.
struct AnswerCachePolicy {
    struct Entry {
        var response: HTTPResponse
        /// Monotonic time the answer's reads started: its age counts from then.
        var madeAt: Double
        var took: Double
        /// The configuration it was made under (`ReadSettingsBoard.Settings.generation`).
        var generation = 0
        /// A worker is making the next one.
        var refreshing = false
    }

    enum Decision: Equatable {
        /// Nothing worth serving: make the answer now (and `store` it).
        case make
        /// Serve this; with `refresh`, the caller also makes the next one after answering.
        case serve(HTTPResponse, refresh: Bool)
    }

    var slowSeconds = 0.25
    var freshSeconds = 1.0
    /// Longer than the page's own refresh (10 s), so a screen polling at that pace is served at
    /// once; the page says when it was made ("updated …").
    var maxAgeSeconds = 30.0
    /// Answers made ahead at once: fewer than the HTTP workers, so one always serves.
    var maxRefreshing = 2
    /// Bounds on what is kept: filtered listings are entries of their own.
    var maxEntries = 8
    var maxBytes = 96 << 20
    private(set) var entries: [ReadRoute: Entry] = [:]

    /// Only the answers that can be slow are kept: the page and the listings.
    static func isCacheable(_ route: ReadRoute) -> Bool {
        switch route {
        case .page, .devices, .incidents: true
        default: false
        }
    }

    /// `generation`: the configuration now; an answer made under another (before a SIGHUP changed
    /// the language, site names or zone) is made anew.
    mutating func decide(_ route: ReadRoute, at now: Double, generation: Int = 0) -> Decision {
        guard let entry = entries[route], entry.took >= slowSeconds, now - entry.madeAt <= maxAgeSeconds,
            entry.generation == generation
        else {
            return .make
        }
        if now - entry.madeAt <= freshSeconds || entry.refreshing
            || entries.values.count(where: \.refreshing) >= maxRefreshing
        {
            return .serve(entry.response, refresh: false)
        }
        entries[route]?.refreshing = true
        return .serve(entry.response, refresh: true)
    }

    /// An answer just made (a 200 only: an error is never served again; it ends the refresh, so
    /// the next request tries again).
    mutating func store(
        _ route: ReadRoute, _ response: HTTPResponse, madeAt: Double, took: Double, generation: Int = 0
    ) {
        guard Self.isCacheable(route), response.status == .ok else {
            entries[route]?.refreshing = false
            return
        }
        guard response.body.count <= maxBytes else {
            entries[route] = nil
            return
        }
        entries[route] = Entry(response: response, madeAt: madeAt, took: took, generation: generation)
        while entries.count > maxEntries || bytes > maxBytes,
            let oldest = entries.min(by: { $0.value.madeAt < $1.value.madeAt })?.key
        {
            entries[oldest] = nil
        }
    }

    var bytes: Int { entries.values.reduce(0) { $0 + $1.response.body.count } }
}
