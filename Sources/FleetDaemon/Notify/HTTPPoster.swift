import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs a body and waits for the answer, on the calling (channel) thread. URLSession from
/// FoundationNetworking, i.e. the system's libcurl: no package to build, HTTPS verified against
/// the system CA bundle (docs/installing.md, "HTTP client"). One session per channel, so a
/// receiver that hangs holds only its own channel; `cancel()` ends a request at once (stop).
final class HTTPPoster: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    /// The answer (any status), or why there was none: refused, unreachable, TLS, timed out.
    func post(
        _ url: URL, headers: [(String, String)], body: [UInt8], timeout: Double
    ) -> Result<Response, NotifyFailure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body)
        let outcome = Mutex<Result<Response, NotifyFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<Response, NotifyFailure>
            if let error {
                result = .failure(Self.describe(error, timeout: timeout))
            } else if let http = response as? HTTPURLResponse {
                result = .success(Response(status: http.statusCode, body: data.map { Array($0.prefix(4096)) } ?? []))
            } else {
                result = .failure(NotifyFailure("no HTTP response"))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        // libcurl's own timeout is between bytes; this one bounds the whole request.
        if done.wait(timeout: .now() + timeout + 0.5) == .timedOut {
            task.cancel()
            _ = done.wait(timeout: .now() + 2)
            return .failure(NotifyFailure("timed out after \(Self.seconds(timeout))"))
        }
        return outcome.withLock { $0 } ?? .failure(NotifyFailure("no HTTP response"))
    }

    /// Cancels every request in flight (the daemon is stopping).
    func cancel() {
        session.getAllTasks { tasks in
            for task in tasks { task.cancel() }
        }
    }

    func invalidate() { session.invalidateAndCancel() }

    /// A failure as an operator reads it in `status`, without the URL (it may hold a token).
    static func describe(_ error: any Error, timeout: Double) -> NotifyFailure {
        let ns = error as NSError
        guard ns.domain == NSURLErrorDomain else { return NotifyFailure("\(ns.domain) error \(ns.code)") }
        let text: String =
            switch ns.code {
            case NSURLErrorTimedOut: "timed out after \(seconds(timeout))"
            case NSURLErrorCannotConnectToHost: "connection refused"
            case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: "host name not found"
            case NSURLErrorNetworkConnectionLost: "connection closed before the answer"
            case NSURLErrorNotConnectedToInternet: "network unreachable"
            case NSURLErrorSecureConnectionFailed: "TLS handshake failed"
            case NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasUnknownRoot,
                NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateNotYetValid:
                "server certificate not trusted (system CA bundle)"
            case NSURLErrorCancelled: "cancelled (the daemon is stopping)"
            case NSURLErrorBadServerResponse: "bad HTTP response"
            // libcurl's own words (e.g. "SSL certificate problem: self-signed certificate"); never
            // the userInfo, which holds the URL.
            default: "request failed: \(ns.localizedDescription)"
            }
        return NotifyFailure(text)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

/// Why a notification was not delivered, as `status` shows it: no URL, no secret.
struct NotifyFailure: Error, Sendable, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
