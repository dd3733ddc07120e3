// swift-tools-version: 6.1
// Huiyin: intake server for the 12338 hotline and petition offices.
// Layers (top to bottom): huiyin CLI → HuiyinWeb → HuiyinStore → HuiyinCore;
// MicroHTTP and Postgres are general wrappers over libmicrohttpd and libpq.
import PackageDescription

let package = Package(
    name: "huiyin",
    products: [
        .executable(name: "huiyin", targets: ["huiyin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "HuiyinCore"),
        .target(name: "HuiyinStore", dependencies: [
            "HuiyinCore", "Postgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),  // scrypt for passwords
        ]),
        // The demo data of `huiyin seed` (Chinese text included): the CLI's alone, not the server's modules.
        .target(name: "HuiyinDemo", dependencies: ["HuiyinCore", "HuiyinStore", "Postgres"]),
        // The top-level `sql/` folder embedded in the binary, by a build tool plugin that lists it on every build.
        .executableTarget(name: "MigrationEmbedder"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["MigrationEmbedder"],
                path: "Sources/EmbedMigrations"),  // the top level holds only what the project names
        .target(name: "HuiyinMigrations", plugins: ["EmbedMigrations"]),
        .target(name: "HuiyinWeb", dependencies: [
            "HuiyinCore", "HuiyinStore", "MicroHTTP", "Postgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Mustache", package: "swift-mustache"),  // console pages
        ], resources: [
            .embedInCode("openapi.json"),  // the API contract, served at /api/openapi.json
            // The grid worker's phone page (/field): its shell, script, style, service worker and manifest.
            .embedInCode("Field/field.html"), .embedInCode("Field/field.js"), .embedInCode("Field/field.css"),
            .embedInCode("Field/field-sw.js"), .embedInCode("Field/manifest.webmanifest"), .embedInCode("Field/icon.svg"),
            // The public mediation map (/mediation-map): its script and style.
            .embedInCode("Map/mediation-map.js"), .embedInCode("Map/mediation-map.css"),
        ]),
        .executableTarget(name: "huiyin", dependencies: [
            "HuiyinWeb", "HuiyinStore", "HuiyinCore", "Postgres", "MicroHTTP", "HuiyinDemo", "HuiyinMigrations",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Test helpers shared by the suites that need a socket or a database.
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport"),
        .testTarget(name: "HuiyinCoreTests", dependencies: ["HuiyinCore"]),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "HuiyinWebTests", dependencies: [
            "HuiyinWeb", "HuiyinStore", "HuiyinCore", "Postgres", "MicroHTTP", "TestSupport", "HuiyinDemo", "HuiyinMigrations",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
