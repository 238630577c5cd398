import FleetCore
import FleetStore
import FleetViews
import Logging
import SystemCalls

/// Makes the answers that read the database, on an HTTP worker thread: the status page and the
/// read API, through the same renderers as the CLI's `--json` (FleetViews), from the daemon's
/// own database over a read-only connection of this thread. WAL readers never block the
/// writer, so the engine loop does not wait for a page, however large. An answer that is slow
/// to make is served from the last one made while this worker makes the next (`AnswerCache`).
struct ReadWorker: HTTPWorker {
    let health: HealthBoard
    let settings: ReadSettingsBoard
    let location: StoreLocation
    let answers: AnswerCache
    let logger: Logger
    /// Opened on first use; dropped after an error and opened again for the next request.
    private var store: (any StoreReading)?
    /// Served from the last answer made: this worker makes the next one after answering.
    private var refresh: ReadRoute?

    init(
        health: HealthBoard, settings: ReadSettingsBoard, location: StoreLocation, answers: AnswerCache,
        logger: Logger
    ) {
        self.health = health
        self.settings = settings
        self.location = location
        self.answers = answers
        self.logger = logger
    }

    mutating func perform(_ route: ReadRoute) -> HTTPResponse {
        guard AnswerCachePolicy.isCacheable(route) else { return make(route) }
        switch answers.decide(route, at: SystemClock.monotonicSeconds(), generation: settings.settings.generation) {
        case .serve(let response, let refresh):
            if refresh { self.refresh = route }
            return response
        case .make:
            return makeAndKeep(route)
        }
    }

    mutating func afterAnswer() {
        guard let route = refresh else { return }
        refresh = nil
        _ = makeAndKeep(route)
    }

    private mutating func makeAndKeep(_ route: ReadRoute) -> HTTPResponse {
        let started = SystemClock.monotonicSeconds()
        let generation = settings.settings.generation
        let response = make(route)
        answers.store(
            route, response, madeAt: started, took: SystemClock.monotonicSeconds() - started, generation: generation)
        return response
    }

    private mutating func make(_ route: ReadRoute) -> HTTPResponse {
        do {
            let reader = try store ?? location.openReader(as: "fleetwatchd http")
            store = reader
            return try answer(route, reader)
        } catch {
            store = nil
            logger.warning("http answer failed", metadata: ["error": "\(error)"])
            return ReadEndpoints.error(
                .serviceUnavailable, "cannot read the database: \(error)",
                api: !route.isPage)
        }
    }

    private func answer(_ route: ReadRoute, _ store: any StoreReading) throws -> HTTPResponse {
        let current = settings.settings.configuration
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: current.sla.timezone))
        let now = SystemClock.realtimeSeconds()
        switch route {
        case .page(let site, let language):
            let page = try store.consistently {
                try StatusPageSnapshot.load(
                    from: store, now: now, language: language ?? current.report.language, time: render.time,
                    health: monitorHealth(), configuration: current, focus: site)
            }
            return HTTPResponse(
                .ok, contentType: "text/html; charset=utf-8", body: Array(StatusPage(page).html().utf8),
                fields: [.init(name: "Content-Security-Policy", value: Self.pagePolicy)])
        case .status:
            return json(try StatusDocument.load(from: store, configuration: current, now: now).json(render) + "\n")
        case .devices(let site, let kind, let state):
            let devices = try store.devices(site: site, kind: kind, state: state)
            var hours = SiteHoursView.Cache(configuration: current, time: render.time, at: now)
            return HTTPResponse(
                .ok, contentType: Self.jsonType, body: DeviceListing.bytes(devices, render, hours: &hours))
        case .incidents(let all, let priority):
            return json(IncidentListing.json(try store.incidents(includeResolved: all, priority: priority), render))
        case .incident(let id?):
            guard let document = try IncidentDocument.load(id, from: store) else {
                return ReadEndpoints.error(.notFound, "no incident \(Incident.label(id))", api: true)
            }
            return json(document.json(render) + "\n")
        case .incident(nil), .healthz, .metrics, .notFound, .methodNotAllowed, .badRequest:
            return ReadEndpoints.error(.notFound, "not found", api: true)  // answered on the poll thread
        }
    }

    private func monitorHealth() -> StatusPageSnapshot.MonitorHealth {
        let s = health.snapshot
        return StatusPageSnapshot.MonitorHealth(
            startedAt: s.startedAt, brokerConnected: s.brokerConnected,
            brokerDownTooLong: s.brokerDownTooLong,
            databaseFailing: s.databaseFailing)
    }

    private func json(_ text: String) -> HTTPResponse {
        HTTPResponse(.ok, contentType: Self.jsonType, body: Array(text.utf8))
    }

    static let jsonType = "application/json; charset=utf-8"
    /// No script, no external resource, no frames, no forms: the page is text and inline style.
    static let pagePolicy =
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'"
}

extension ReadRoute {
    var isPage: Bool {
        if case .page = self { return true }
        return false
    }
}
