import FleetCore
import Testing

@testable import FleetDaemon

/// Which endpoint a request is (SPEC §16): paths, the CLI's filters as query parameters, 404
/// for unknown paths, 405 for other methods, 400 for bad filters.
struct ReadRouteTests {
    private func route(_ target: String, method: String = "GET") -> ReadRoute {
        guard let (path, query) = HTTPRequestHead.splitTarget(Substring(target)) else { return .badRequest("target") }
        return ReadRoute.resolve(method: method, path: path, query: query)
    }

    @Test func eachPathIsItsEndpointWithTheCLIsFilters() {
        #expect(route("/") == .page(site: nil, language: nil))
        #expect(route("/?site=tianshan&lang=en") == .page(site: "tianshan", language: .en))
        #expect(route("/healthz") == .healthz)
        #expect(route("/metrics") == .metrics)
        #expect(route("/api/v1/status") == .status)
        #expect(route("/api/v1/devices") == .devices(site: nil, kind: nil, state: nil))
        #expect(
            route("/api/v1/devices?site=s1&kind=face-gate&state=offline")
                == .devices(site: "s1", kind: "face-gate", state: .offline))
        #expect(route("/api/v1/incidents") == .incidents(all: false, priority: nil))
        #expect(route("/api/v1/incidents?all=1&priority=p1") == .incidents(all: true, priority: .p1))
        #expect(route("/api/v1/incidents?all=0") == .incidents(all: false, priority: nil))
        #expect(route("/api/v1/incidents/INC-000042") == .incident(42))
        #expect(route("/api/v1/incidents/inc-7") == .incident(7))
        #expect(route("/api/v1/incidents/nonsense") == .incident(nil))
    }

    @Test(arguments: [
        "/nope", "/api/v1", "/api/v1/", "/api/v1/devices/", "/api/v1/incidents/INC-1/x",
        "/api/v2/status", "/index.html", "/HEALTHZ",
    ])
    func unknownPathsAreNotFoundWhateverTheMethod(path: String) {
        #expect(route(path) == .notFound)
        #expect(route(path, method: "POST") == .notFound)
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get"])
    func otherMethodsOnKnownPathsAreNotAllowed(method: String) {
        for path in ["/", "/healthz", "/metrics", "/api/v1/status", "/api/v1/incidents/INC-000001"] {
            #expect(route(path, method: method) == .methodNotAllowed, "\(method) \(path)")
        }
    }

    @Test func badFiltersAreRefusedWithWhatToSend() {
        #expect(
            route("/api/v1/devices?state=broken")
                == .badRequest(
                    "state must be one of unknown, online, degraded, offline, maintenance, sleeping (got \"broken\")"))
        #expect(route("/api/v1/incidents?priority=P3") == .badRequest("priority must be P1 or P2 (got \"P3\")"))
        #expect(route("/api/v1/incidents?all=maybe") == .badRequest("all must be 1 or 0 (got \"maybe\")"))
        #expect(
            route("/api/v1/devices?sites=x") == .badRequest("unknown query parameter \"sites\" (use kind, site, state)")
        )
        #expect(route("/api/v1/status?x=1") == .badRequest("unknown query parameter \"x\""))
        #expect(route("/api/v1/devices?site=a&site=b") == .badRequest("query parameter \"site\" given twice"))
        #expect(route("/?lang=fr") == .badRequest("lang must be zh-CN or en (got \"fr\")"))
    }
}

/// `metrics.bearer_token_file`'s check of `Authorization`.
struct AccessTokenTests {
    let token = AccessToken(Array("s3cret-token".utf8))

    @Test func onlyTheBearerSchemeWithTheExactTokenIsAdmitted() {
        #expect(token.admits(authorization: "Bearer s3cret-token"))
        #expect(token.admits(authorization: "bearer s3cret-token"))
        #expect(token.admits(authorization: "BEARER  s3cret-token"))
        #expect(!token.admits(authorization: nil))
        #expect(!token.admits(authorization: ""))
        #expect(!token.admits(authorization: "Bearer"))
        #expect(!token.admits(authorization: "Bearer "))
        #expect(!token.admits(authorization: "Basic s3cret-token"))
        #expect(!token.admits(authorization: "Bearer s3cret-toke"))
        #expect(!token.admits(authorization: "Bearer s3cret-token2"))
        #expect(!token.admits(authorization: "Bearer S3CRET-TOKEN"))
        #expect(!token.admits(authorization: "s3cret-token"))
    }

    @Test func theComparisonLooksAtEveryByte() {
        #expect(AccessToken.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEqual([1, 2, 4], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEqual([9, 2, 3], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEqual([1, 2, 3, 0], [1, 2, 3]))
        #expect(!AccessToken.constantTimeEqual(Array(repeating: 0, count: 259), Array(repeating: 0, count: 3)))
    }
}
