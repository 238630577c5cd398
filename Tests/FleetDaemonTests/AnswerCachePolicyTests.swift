import Testing

@testable import FleetDaemon

/// When the status page and the listings are served from the last answer made, and when made anew.
struct AnswerCachePolicyTests {
    private let page = ReadRoute.page(site: nil, language: nil)
    private func body(_ text: String) -> HTTPResponse {
        HTTPResponse(.ok, contentType: "text/html", body: Array(text.utf8))
    }

    @Test func aQuickAnswerIsAlwaysMadeAnew() {
        var policy = AnswerCachePolicy()
        policy.store(page, body("a"), madeAt: 100, took: 0.01)
        #expect(policy.decide(page, at: 100.1) == .make, "a small fleet reads its own writes at once")
    }

    @Test func aSlowAnswerIsServedFreshThenStaleWhileOneWorkerMakesTheNext() {
        var policy = AnswerCachePolicy()
        #expect(policy.decide(page, at: 100) == .make, "nothing made yet")
        policy.store(page, body("a"), madeAt: 100, took: 1.5)
        #expect(policy.decide(page, at: 100.8) == .serve(body("a"), refresh: false), "fresh: no new one yet")
        #expect(policy.decide(page, at: 102) == .serve(body("a"), refresh: true), "stale: this worker makes one")
        #expect(policy.decide(page, at: 102.5) == .serve(body("a"), refresh: false), "one refresh at a time")
        policy.store(page, body("b"), madeAt: 102, took: 1.6)
        #expect(policy.decide(page, at: 103.7) == .serve(body("b"), refresh: true))
    }

    @Test func anAnswerOlderThanTheMaximumAgeIsNotServed() {
        var policy = AnswerCachePolicy()
        policy.store(page, body("a"), madeAt: 100, took: 2)
        #expect(policy.decide(page, at: 129) == .serve(body("a"), refresh: true), "older than the page's refresh")
        #expect(policy.decide(page, at: 130.5) == .make)
    }

    @Test func aFailedRefreshLetsTheNextRequestTryAgainAndKeepsNoError() {
        var policy = AnswerCachePolicy()
        policy.store(page, body("a"), madeAt: 100, took: 2)
        #expect(policy.decide(page, at: 102) == .serve(body("a"), refresh: true))
        policy.store(
            page, HTTPResponse(.serviceUnavailable, contentType: "text/plain", body: []), madeAt: 102, took: 0.1)
        #expect(policy.decide(page, at: 103) == .serve(body("a"), refresh: true), "the old answer, and a new try")
    }

    @Test func eachFilterIsAnEntryOfItsOwnAndTheOldestGoFirst() {
        var policy = AnswerCachePolicy()
        policy.maxEntries = 2
        let a = ReadRoute.devices(site: "a", kind: nil, state: nil)
        let b = ReadRoute.devices(site: "b", kind: nil, state: nil)
        policy.store(a, body("a"), madeAt: 100, took: 1)
        policy.store(b, body("b"), madeAt: 101, took: 1)
        policy.store(page, body("p"), madeAt: 102, took: 1)
        #expect(policy.entries.count == 2)
        #expect(policy.decide(a, at: 102.5) == .make, "the oldest went")
        #expect(policy.decide(b, at: 101.5) == .serve(body("b"), refresh: false))
    }

    @Test func atMostTwoAnswersAreMadeAheadAtOnceSoAWorkerIsLeftToServe() {
        var policy = AnswerCachePolicy()
        let routes = (0..<3).map { ReadRoute.devices(site: "s\($0)", kind: nil, state: nil) }
        for route in routes { policy.store(route, body("x"), madeAt: 100, took: 2) }
        #expect(policy.decide(routes[0], at: 102) == .serve(body("x"), refresh: true))
        #expect(policy.decide(routes[1], at: 102) == .serve(body("x"), refresh: true))
        #expect(policy.decide(routes[2], at: 102) == .serve(body("x"), refresh: false), "two are being made")
        policy.store(routes[0], body("y"), madeAt: 102, took: 2)
        #expect(policy.decide(routes[2], at: 103) == .serve(body("x"), refresh: true))
    }

    @Test func anAnswerMadeBeforeAReloadIsMadeAnew() {
        var policy = AnswerCachePolicy()
        policy.store(page, body("zh"), madeAt: 100, took: 2, generation: 0)
        #expect(policy.decide(page, at: 100.5, generation: 0) == .serve(body("zh"), refresh: false))
        #expect(policy.decide(page, at: 100.5, generation: 1) == .make, "the language or site names may have changed")
    }

    @Test func theStatusAndSingleIncidentsAreNeverKept() {
        var policy = AnswerCachePolicy()
        policy.store(.status, body("s"), madeAt: 100, took: 2)
        policy.store(.incident(1), body("i"), madeAt: 100, took: 2)
        #expect(policy.entries.isEmpty)
    }

    @Test func anAnswerLargerThanTheBoundIsNotKept() {
        var policy = AnswerCachePolicy()
        policy.maxBytes = 4
        policy.store(page, body("12345"), madeAt: 100, took: 2)
        #expect(policy.entries.isEmpty)
    }
}
