import Testing

@testable import Postgres

/// What `--check-config` finds in `storage.postgres_url` without connecting: the form (libpq's
/// parser) and the values libpq would only refuse at connect time. No server needed.
struct PostgresURLTests {
    @Test func goodURLsPass() {
        for url in [
            "postgresql://fleetwatch@db1/fleetwatch", "postgres://", "postgresql://u@h1:5432,h2:5433/d",
            "postgresql://h/d?sslmode=verify-full&connect_timeout=5",
        ] {
            #expect(PostgresConnection.problem(inURL: url) == nil, "\(url)")
        }
    }

    @Test func valuesLibpqWouldRefuseOnlyWhenConnectingAreFoundNow() {
        #expect(
            PostgresConnection.problem(inURL: "postgresql://bob:S3cret@db1:notaport/x")
                == "has a port that is not 1-65535")
        #expect(PostgresConnection.problem(inURL: "postgresql://db1:0/x") == "has a port that is not 1-65535")
        #expect(
            PostgresConnection.problem(inURL: "postgresql://db1/x?sslmode=bogus")
                == "has an sslmode that is not disable, allow, prefer, require, verify-ca or verify-full")
        #expect(
            PostgresConnection.problem(inURL: "postgresql://db1/x?connect_timeout=soon")
                == "has a connect_timeout that is not whole seconds")
    }

    @Test func theReasonNeverRepeatsThePassword() {
        let reason = PostgresConnection.problem(inURL: "postgresql://bob:S3cret@db1:99999/x") ?? ""
        #expect(!reason.contains("S3cret"))
        #expect(!reason.isEmpty)
    }
}
