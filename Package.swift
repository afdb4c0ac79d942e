// swift-tools-version:6.0
import PackageDescription

/// One set of settings for every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "DutyWatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "duty-agent", targets: ["DutyAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // Domain types, the pure rule engine and the agent<->collector wire types: Foundation and hashing only.
        .target(
            name: "Shared",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The office agent: ingest of badge files and config, the rule run, digests, delivery.
        .executableTarget(
            name: "DutyAgent",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SharedTests", dependencies: ["Shared"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DutyAgentTests",
            dependencies: ["DutyAgent", "Shared"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
