/// What an `HTTPServer` serves. `triage` runs on the server's one poll thread, for every
/// complete request, and must be cheap (an answer from memory, a refusal); anything that reads
/// the database is `Work` for a worker thread, so a slow page never delays `/healthz`.
protocol HTTPApplication: Sendable {
    associatedtype Work: Sendable
    associatedtype Worker: HTTPWorker<Work>

    func triage(_ request: HTTPRequestHead, server: HTTPServerStats) -> HTTPTriage<Work>

    /// Called once on each worker thread; that worker is used on that thread only.
    func makeWorker() -> Worker
}

protocol HTTPWorker<Work> {
    associatedtype Work
    mutating func perform(_ work: Work) -> HTTPResponse
    /// After `perform`'s answer went out, on the same thread: work that should not delay it.
    mutating func afterAnswer()
}

extension HTTPWorker {
    mutating func afterAnswer() {}
}

enum HTTPTriage<Work> {
    case answer(HTTPResponse)
    case work(Work)
}

/// The server's own counters, shown on `/metrics`.
struct HTTPServerStats: Sendable, Equatable {
    var openConnections = 0
    var requests = 0
    /// Connections closed because the server was full and they had not finished their request.
    var evicted = 0
    /// Connections closed for taking too long (request head, or reading the answer).
    var timedOut = 0
    /// Requests answered 503 because the workers' queue or the output budget was full.
    var busy = 0
}
