import FleetCore
import FleetStore
import Logging

/// The HTTP side of the daemon (SPEC §9, §16): `/healthz` and `/metrics` from memory on the
/// poll thread, the status page and the read API from the database on a worker (`ReadWorker`).
/// Read-only: no request changes anything.
struct ReadEndpoints: HTTPApplication {
    let health: HealthBoard
    /// The notification channels' counters for /metrics (SPEC §14).
    let notify: NotifyBoard
    let settings: ReadSettingsBoard
    let store: StoreLocation
    /// Shared by the workers: slow answers served from the last one made.
    let answers = AnswerCache()
    let logger: Logger

    func triage(_ request: HTTPRequestHead, server: HTTPServerStats) -> HTTPTriage<ReadRoute> {
        let route = ReadRoute.resolve(method: request.method, path: request.path, query: request.query)
        let api = ReadRoute.isAPI(request.path)
        // Every path but /healthz (known or not: a client without the token learns nothing).
        if request.path != "/healthz", let token = settings.settings.token,
            !token.admits(authorization: request.field("authorization"))
        {
            return .answer(
                Self.error(
                    .unauthorized, "send the token: Authorization: Bearer TOKEN", api: api,
                    fields: [.init(name: "WWW-Authenticate", value: "Bearer realm=\"fleetwatch\"")]))
        }
        switch route {
        case .healthz:
            let snapshot = health.snapshot
            guard !snapshot.healthy else { return .answer(.text(.ok, "ok\n")) }
            let why = snapshot.databaseFailing ? "database cannot be written" : "broker unreachable"
            return .answer(.text(.serviceUnavailable, "unhealthy: \(why)\n"))
        case .metrics:
            let text = health.snapshot.prometheusText() + notify.prometheusText() + Self.serverMetrics(server)
            return .answer(
                HTTPResponse(
                    .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
                    body: Array(text.utf8)))
        case .notFound:
            return .answer(
                Self.error(
                    .notFound,
                    api
                        ? "no such endpoint (see docs/operators.md, \"Status page\")"
                        : "not found: try /, /api/v1/status, /metrics or /healthz", api: api))
        case .methodNotAllowed:
            return .answer(
                Self.error(
                    .methodNotAllowed, "read-only: only GET is served", api: api,
                    fields: [.init(name: "Allow", value: "GET")]))
        case .badRequest(let reason):
            return .answer(Self.error(.badRequest, reason, api: api))
        case .incident(nil):
            return .answer(Self.error(.notFound, "no such incident (ids look like INC-000123)", api: true))
        case .page, .status, .devices, .incidents, .incident:
            return .work(route)
        }
    }

    func makeWorker() -> ReadWorker {
        ReadWorker(health: health, settings: settings, location: store, answers: answers, logger: logger)
    }

    /// A refusal: `{"error": "…"}` under /api/v1/, plain text elsewhere.
    static func error(
        _ status: HTTPStatus, _ reason: String, api: Bool,
        fields: [HTTPResponse.HTTPField] = []
    ) -> HTTPResponse {
        guard api else { return .text(status, reason + "\n", fields: fields) }
        return HTTPResponse(
            status, contentType: "application/json; charset=utf-8",
            body: Array((JSONText.object([("error", .string(reason))]) + "\n").utf8), fields: fields)
    }

    static func serverMetrics(_ s: HTTPServerStats) -> String {
        """
        # HELP fleetwatch_http_connections Open connections to this endpoint.
        # TYPE fleetwatch_http_connections gauge
        fleetwatch_http_connections \(s.openConnections)
        # HELP fleetwatch_http_requests_total Requests read on this endpoint.
        # TYPE fleetwatch_http_requests_total counter
        fleetwatch_http_requests_total \(s.requests)
        # HELP fleetwatch_http_dropped_total Connections dropped or refused to keep the endpoint answering.
        # TYPE fleetwatch_http_dropped_total counter
        fleetwatch_http_dropped_total{reason="evicted"} \(s.evicted)
        fleetwatch_http_dropped_total{reason="timeout"} \(s.timedOut)
        fleetwatch_http_dropped_total{reason="busy"} \(s.busy)

        """
    }
}
