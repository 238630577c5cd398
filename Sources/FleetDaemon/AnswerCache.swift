import Synchronization

/// `AnswerCachePolicy` shared by the HTTP workers (each on its own thread).
final class AnswerCache: Sendable {
    private let policy: Mutex<AnswerCachePolicy>

    init(_ policy: AnswerCachePolicy = AnswerCachePolicy()) { self.policy = Mutex(policy) }

    func decide(_ route: ReadRoute, at now: Double, generation: Int) -> AnswerCachePolicy.Decision {
        policy.withLock { $0.decide(route, at: now, generation: generation) }
    }

    func store(_ route: ReadRoute, _ response: HTTPResponse, madeAt: Double, took: Double, generation: Int) {
        policy.withLock { $0.store(route, response, madeAt: madeAt, took: took, generation: generation) }
    }
}
