// swift-tools-version: 6.1
import PackageDescription

/// Settings every Gatehouse target shares: explicit `any`, explicit `Sendable`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "gatehouse-bench", targets: ["gatehouse-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // postgres-nio's own dependencies, named for their Logger and TLSConfiguration types.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "GatehouseCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GatehouseEngine",
            dependencies: [
                "GatehouseCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, which GRDB is built on: the journal reads its columns directly.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, which seals a passphrase-protected key file (swift-crypto's own extras).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings,
            // The commit a run's fingerprint names (`BuildInfo`).
            plugins: ["BuildInfo"]
        ),
        .plugin(
            name: "BuildInfo",
            capability: .buildTool()
        ),
        .target(
            name: "GatehousePostgres",
            dependencies: [
                "GatehouseCore",
                "GatehouseEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses"
        ),
        // C, because a signal handler may only set a `volatile sig_atomic_t`, and that flag
        // must be one variable in the program (not a header's static, copied per module).
        .target(
            name: "CTerminalSignals",
            path: "Sources/CTerminalSignals"
        ),
        .target(
            name: "GatehouseTUI",
            dependencies: ["GatehouseCore", "GatehouseEngine", "CNcurses", "CTerminalSignals"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseCore",
                "GatehouseEngine",
                "GatehouseTUI",
                "GatehousePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GatehouseBench",
            dependencies: [
                "GatehouseCore", "GatehouseEngine", "GatehouseTUI", "GatehousePostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gatehouse-bench",
            dependencies: ["GatehouseBench"],
            swiftSettings: strictSettings
        ),
        // Fixtures, fuzzers, the throw-away PostgreSQL server and signed decisions that more
        // than one test target uses: a library of its own, never copied or linked between them.
        .target(
            name: "GatehouseTestSupport",
            dependencies: [
                "GatehouseCore", "GatehouseEngine", "GatehousePostgres",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/GatehouseTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseCoreTests",
            dependencies: ["GatehouseCore", "GatehouseEngine", "GatehouseTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseEngineTests",
            dependencies: ["GatehouseCore", "GatehouseEngine", "GatehouseTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehousePostgresTests",
            dependencies: [
                "GatehouseCore", "GatehouseEngine", "GatehousePostgres", "GatehouseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseTUITests",
            dependencies: ["GatehouseCore", "GatehouseEngine", "GatehouseTUI", "GatehouseTestSupport"],
            exclude: ["Snapshots"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseEndToEndTests",
            dependencies: [
                "gatehouse", "GatehouseCore", "GatehouseEngine", "GatehouseBench", "GatehousePostgres", "GatehouseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
