// swift-tools-version:6.2
import PackageDescription

/// Settings every Pikou target shares (the same upcoming features Hummingbird enables).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Pikou",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pikou", targets: ["pikou"]),
        .library(name: "PikouCore", targets: ["PikouCore"]),
        .library(name: "BankFormats", targets: ["BankFormats"]),
        .library(name: "PikouCrypto", targets: ["PikouCrypto"]),
        .library(name: "PikouCycle", targets: ["PikouCycle"]),  // for Fuzz/ (the roster CSV target)
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        // The PostgreSQL store (issue 13): the client, and the NIO types its API takes (buffers, TLS).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        // The web console (issue 14): the server, bcrypt for passwords, the router test framework.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
    ],
    targets: [
        .target(name: "PikouCore", swiftSettings: settings),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(name: "PikouCrypto", dependencies: ["PikouCore", "COpenSSL"], swiftSettings: settings),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "PikouXML", dependencies: ["PikouCore", "CLibXML2"], swiftSettings: settings),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(
            name: "BankFormats",
            dependencies: ["PikouCore", "PikouCrypto", "PikouXML", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .target(
            name: "ReconStore",
            dependencies: [
                "PikouCore", "PikouCrypto", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "PikouCycle",
            dependencies: ["PikouCore", "BankFormats", "PikouCrypto", "PikouXML", "ReconStore", "CXlsxWriter", "CZlib", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .target(
            name: "PikouConsole",
            dependencies: [
                "PikouCore", "PikouCycle", "BankFormats", "PikouCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "pikou",
            dependencies: [
                "PikouCore", "BankFormats", "PikouCrypto", "ReconStore", "PikouCycle", "PikouXML", "PikouConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .target(name: "TestSupport", dependencies: ["PikouCore", "BankFormats", "PikouCrypto", "ReconStore", "PikouCycle"], path: "Tests/TestSupport",
                swiftSettings: settings),
        .testTarget(
            name: "PikouCoreTests",
            dependencies: ["PikouCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "BankFormatsTests",
            dependencies: [
                "BankFormats", "PikouCore", "PikouCrypto", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "BankFormats", "PikouCrypto"], swiftSettings: settings),
        .testTarget(
            name: "PikouCycleTests",
            dependencies: [
                "PikouCycle", "ReconStore", "BankFormats", "PikouCore", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                // The tamper tests edit the store behind Pikou's back, as sqlite3 would.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "ReconStoreTests", dependencies: ["ReconStore", "PikouCore"], swiftSettings: settings),
        .testTarget(name: "PikouCryptoTests", dependencies: ["PikouCrypto", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "PikouConsole", "PikouCycle", "PikouCore", "PikouCrypto", "BankFormats", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
    ]
)
