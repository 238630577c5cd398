import FleetStore
import Foundation
import PostgresTestSupport

/// One PostgreSQL cluster for the daemon tests that need one (initdb takes seconds); every test
/// gets a database of its own.
enum DaemonTestCluster {
    nonisolated(unsafe) static let started = Result { try PostgresServer() }

    /// A fresh database for the calling test.
    static func target() throws -> PostgresTarget {
        let name = "d_" + String(UUID().uuidString.prefix(8)).lowercased()
        return PostgresTarget(url: try started.get().createDatabase(name))
    }
}
