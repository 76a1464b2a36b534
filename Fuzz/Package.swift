// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets over Pikou's parsers (issue 17, item 14). Built and run by `scripts/fuzz.py`
/// (`make fuzz`, `make fuzz-smoke`); kept out of the main package so that its build and tests never
/// need the sanitizers.
///
/// Each target is an executable whose only entry point is `LLVMFuzzerTestOneInput`: libFuzzer's own
/// `main` drives it, so the files are compiled with `-parse-as-library` (no top-level code).
let fuzzTarget: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "PikouFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The checkout itself, through the symlink `Pikou -> ..`: SwiftPM names a path dependency after
        // its last path component, so `path: ".."` in a checkout folder called `fuzz` (or `Fuzz`) would
        // collide with this package's own identity ("fuzz", from the folder Fuzz/) and the products
        // below would not be found. Through the link the dependency is "pikou" in every checkout.
        .package(name: "Pikou", path: "Pikou"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "PikouCore", package: "Pikou"),
                .product(name: "BankFormats", package: "Pikou"),
                .product(name: "PikouCrypto", package: "Pikou"),
                .product(name: "PikouCycle", package: "Pikou"),
            ]
        ),
        .executableTarget(
            name: "FuzzSpecLoader",
            dependencies: ["FuzzSupport", .product(name: "BankFormats", package: "Pikou")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "FuzzFixedWidth",
            dependencies: ["FuzzSupport", .product(name: "BankFormats", package: "Pikou")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "FuzzDelimited",
            dependencies: ["FuzzSupport", .product(name: "BankFormats", package: "Pikou")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "FuzzXML",
            dependencies: ["FuzzSupport", .product(name: "BankFormats", package: "Pikou")],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: [
                "FuzzSupport", .product(name: "BankFormats", package: "Pikou"),
                .product(name: "PikouCycle", package: "Pikou"),
            ],
            swiftSettings: fuzzTarget
        ),
        .executableTarget(
            name: "FuzzMoney",
            dependencies: ["FuzzSupport", .product(name: "PikouCore", package: "Pikou"), .product(name: "BankFormats", package: "Pikou")],
            swiftSettings: fuzzTarget
        ),
    ]
)
