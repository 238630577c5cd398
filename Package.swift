// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Fleetwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fleetwatchd", targets: ["fleetwatchd"]),
        .executable(name: "fleetwatch", targets: ["fleetwatch"]),
        .executable(name: "fleetsim", targets: ["fleetsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CMosquitto", path: "Sources/CMosquitto", providers: [.apt(["libmosquitto-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // The only importers of the C modules, and the one checked layer over POSIX (sockets,
        // files, clocks, signals): everyone else calls these.
        // `read` for the MQTT network thread's socket, buffered (read_ahead.c says why and how).
        .target(name: "CReadAhead"),
        .target(name: "MQTT", dependencies: ["CMosquitto", "CReadAhead", "SystemCalls"]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "Postgres", dependencies: ["CPostgres"]),
        .target(name: "SystemCalls", dependencies: ["CMalloc"]),

        // Pure logic: no I/O, no clock reads.
        .target(name: "FleetCore"),
        .target(name: "FleetConfig", dependencies: ["FleetCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "FleetStore", dependencies: ["FleetCore", "SQLite", "Postgres", "SystemCalls"]),
        // The inspection report: figures from store rows, rendered as HTML, Markdown and JSON. Pure.
        .target(name: "FleetReport", dependencies: ["FleetCore"]),
        // The shapes operators and tools read, one renderer each: the CLI's --json, the daemon's
        // read API and status page (SPEC §8, §16).
        .target(name: "FleetViews", dependencies: ["FleetCore", "FleetStore", "SystemCalls"]),
        // The typed control protocol, shared by the daemon and the CLI.
        .target(name: "FleetControl", dependencies: ["FleetCore", "SystemCalls"]),
        .target(
            name: "FleetDaemon",
            dependencies: [
                "FleetCore", "FleetConfig", "FleetStore", "FleetViews", "FleetControl", "MQTT", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "fleetwatchd",
            dependencies: [
                "FleetDaemon", "FleetConfig", "FleetCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "fleetwatch",
            dependencies: [
                "FleetCore", "FleetConfig", "FleetStore", "FleetViews", "FleetControl", "FleetReport", "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "fleetsim",
            dependencies: ["MQTT", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "device-simulators/fleetsim"
        ),

        .testTarget(name: "MQTTTests", dependencies: ["MQTT"]),
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore", "FleetConfig"]),
        .testTarget(name: "FleetConfigTests", dependencies: ["FleetConfig", "FleetCore"]),
        // A private PostgreSQL cluster for the tests that need one (initdb, a free port, stopped after).
        .target(name: "PostgresTestSupport", dependencies: ["Postgres"], path: "Tests/Support/PostgresTestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresTestSupport"]),
        .testTarget(
            name: "FleetStoreTests",
            dependencies: ["FleetStore", "FleetCore", "Postgres", "SQLite", "PostgresTestSupport"]),
        .testTarget(name: "FleetReportTests", dependencies: ["FleetReport", "FleetCore"]),
        // Golden/ holds the status page's golden HTML, read by path (#filePath), not as resources.
        .testTarget(
            name: "FleetViewsTests", dependencies: ["FleetViews", "FleetCore", "FleetStore"], exclude: ["Golden"]),
        .testTarget(name: "FleetControlTests", dependencies: ["FleetControl", "FleetCore"]),
        .testTarget(
            name: "FleetDaemonTests",
            dependencies: ["FleetDaemon", "FleetCore", "FleetStore", "SystemCalls", "Postgres", "PostgresTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "FleetCore", "SystemCalls", "Postgres", "PostgresTestSupport", "fleetwatchd", "fleetwatch", "fleetsim",
            ]
        ),
    ]
)
