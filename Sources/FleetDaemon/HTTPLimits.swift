/// The bounds that keep the HTTP server answering under abuse (issue 11 item 9: 200 idle
/// connections used to starve `/healthz` for 10–24 s).
struct HTTPLimits: Sendable {
    /// Open connections at most. A new one beyond this evicts the oldest connection that has not
    /// finished sending its request, so idle or slow clients can never lock a probe out.
    var maxConnections = 256
    /// From accept to a complete request head; then 408 (or a plain close if nothing came).
    var requestSeconds = 10.0
    /// An answer that makes no progress this long (a client that stopped reading) is dropped.
    var writeStallSeconds = 10.0
    /// After the answer: how long, and how much, a client's unread input is drained before
    /// close, so that the close is a FIN the client sees after our answer, not a reset.
    var lingerSeconds = 2.0
    var lingerBytes = 64 * 1024
    /// Worker threads for pages and API answers (which read the database), at lower priority
    /// than the engine loop, and the work that may wait for them; beyond that, 503. Three, so that
    /// with two of them making the next slow answers (`AnswerCachePolicy.maxRefreshing`) one
    /// still serves.
    var workers = 3
    var queuedWork = 16
    /// Answers being written at once, in bytes; new work beyond this is answered 503.
    var maxBufferedOutputBytes = 256 * 1024 * 1024
    /// The listen backlog: connections the kernel queues before we accept them.
    var backlog: Int32 = 128
}
