// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Hashi",
    products: [
        // The library: usable without the CLI.
        .library(name: "HashiKit", targets: ["HashiKit"]),
        .executable(name: "hashi", targets: ["hashi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // C façade over the system ICU (libicu-dev). Its public header has no ICU types.
        .target(
            name: "CHashiICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]
        ),
        // Swift owners of the ICU handles: break iterators, NFKC, transliterators,
        // charset detection/conversion, collation.
        .target(name: "HashiICU", dependencies: ["CHashiICU"]),
        // Input decoding, text model with offsets, segmentation, writers.
        .target(name: "HashiKit", dependencies: ["HashiICU"]),
        // The `hashi` command: parses options and calls HashiKit.
        .executableTarget(
            name: "hashi",
            dependencies: [
                "HashiKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HashiICUTests", dependencies: ["HashiICU"]),
        .testTarget(
            name: "HashiKitTests",
            dependencies: [
                "HashiKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "HashiCLITests", dependencies: ["HashiKit"]),
    ],
    swiftLanguageModes: [.v6]
)
