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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "GatehouseCore",
            swiftSettings: strictSettings
        ),
        .target(
            name: "GatehouseEngine",
            dependencies: [
                "GatehouseCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses"
        ),
        .target(
            name: "GatehouseTUI",
            dependencies: ["GatehouseCore", "GatehouseEngine", "CNcurses"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseCore",
                "GatehouseEngine",
                "GatehouseTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseCoreTests",
            dependencies: ["GatehouseCore", "GatehouseEngine"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseEngineTests",
            dependencies: ["GatehouseCore", "GatehouseEngine"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseTUITests",
            dependencies: ["GatehouseCore", "GatehouseEngine", "GatehouseTUI"],
            exclude: ["Snapshots"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatehouseEndToEndTests",
            dependencies: ["gatehouse"],
            swiftSettings: strictSettings
        ),
    ]
)
