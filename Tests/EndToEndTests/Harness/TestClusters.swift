import Foundation
import PostgresTestSupport
import XCTest

/// The store the end-to-end tests run against. SQLite by default; with
/// `FLEETWATCH_E2E_BACKEND=postgres` every test of the run writes its configuration for
/// PostgreSQL instead: a database of its own on its class's cluster (`scripts/test` runs a
/// subset of the suite this way, docs/scaling.md names it). Tests that need PostgreSQL whatever
/// the run (failover) ask for it with `usePostgres()`.
enum TestBackend {
    static var postgres: Bool { ProcessInfo.processInfo.environment["FLEETWATCH_E2E_BACKEND"] == "postgres" }
}

/// PostgreSQL clusters for end-to-end tests: one per test class (initdb and a start take a
/// second or two), started when its first test asks and stopped after its last
/// (`EndToEndTestCase.tearDown()` as a class method). Started from the test's thread, so the
/// server dies with the test process (`PostgresServer` uses `setpriv --pdeathsig`).
enum TestClusters {
    // XCTest runs tests and their class setUp/tearDown on the main thread, one at a time.
    nonisolated(unsafe) private static var clusters: [ObjectIdentifier: PostgresServer] = [:]

    static func cluster(for type: AnyClass) throws -> PostgresServer {
        if let running = clusters[ObjectIdentifier(type)] { return running }
        let started = try PostgresServer()
        clusters[ObjectIdentifier(type)] = started
        return started
    }

    static func stop(for type: AnyClass) {
        clusters.removeValue(forKey: ObjectIdentifier(type))  // deinit stops it and removes its directory
    }
}

extension EndToEndTestCase {
    /// A database of this test's own on its class's cluster; the configs this test writes use it.
    @discardableResult
    func usePostgres() throws -> String {
        if let postgresURL { return postgresURL }
        let name = "e2e_" + String(UUID().uuidString.prefix(8)).lowercased()
        let url = try TestClusters.cluster(for: type(of: self)).createDatabase(name)
        postgresURL = url
        return url
    }

    /// This test's class's cluster (`usePostgres()` first).
    func postgresCluster() throws -> PostgresServer { try TestClusters.cluster(for: type(of: self)) }
}
