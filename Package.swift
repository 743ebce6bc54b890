// swift-tools-version:6.2
import PackageDescription

// Dependencies point one way: haven → HavenWeb → HavenServices → HavenData → HavenCore.
let package = Package(
    name: "haven",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "haven", targets: ["haven"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "HavenCore"),
        .target(
            name: "HavenData",
            dependencies: [
                "HavenCore",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "HavenServices",
            dependencies: [
                "HavenData",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "HavenWeb",
            dependencies: [
                "HavenServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        .executableTarget(
            name: "haven",
            dependencies: [
                "HavenWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // Benchmarks print figures; see bench/README.md and docs/PERFORMANCE.md.
        .executableTarget(
            name: "haven-bench",
            dependencies: [
                "HavenCore",
                "HavenData",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            path: "bench/Sources/haven-bench"
        ),
        // The incident benchmarks' HTTP side: an open-loop generator, list latency and export throughput.
        .executableTarget(
            name: "haven-load",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "bench/Sources/haven-load"
        ),
        // Opens a fresh SQLite file, or a fresh PostgreSQL database when HAVEN_TEST_POSTGRES_URL is set.
        .target(name: "HavenTestSupport", dependencies: ["HavenData"], path: "Tests/HavenTestSupport"),
        .testTarget(name: "HavenCoreTests", dependencies: ["HavenCore"]),
        .testTarget(name: "HavenDataTests", dependencies: ["HavenData", "HavenTestSupport"]),
        .testTarget(
            name: "HavenWebTests",
            dependencies: [
                "HavenWeb",
                "HavenTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ]
        ),
    ]
)
