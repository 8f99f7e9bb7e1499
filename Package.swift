// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "nakladna",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nakladna", targets: ["nakladna"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The PostgreSQL store's client: libpq is synchronous, as the store's one database thread is, and sends
        // the year's rows with COPY; it adds no Swift package to build (README, "PostgreSQL").
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Linux's prctl, for a chain's worker and the station runs it starts (Sources/CProcess/shim.h).
        .systemLibrary(name: "CProcess"),
        .target(
            name: "Nakladna",
            dependencies: [
                "CLibXML2",
                "CLibPQ",
                "CProcess",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "nakladna",
            dependencies: [
                "Nakladna",
                "CProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "nakladna-bench",
            dependencies: ["Nakladna"],
            path: "Benchmarks/nakladna-bench"
        ),
        .testTarget(
            name: "NakladnaTests",
            dependencies: [
                "Nakladna",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)

// The libFuzzer target exists only for `make fuzz` (NAKLADNA_FUZZ=1, -sanitize=fuzzer): its entry point is
// libFuzzer's driver, which an ordinary build of the package cannot link.
if ProcessInfo.processInfo.environment["NAKLADNA_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(name: "nakladna-fuzz", dependencies: ["Nakladna"], path: "Fuzz/nakladna-fuzz"))
    package.products.append(.executable(name: "nakladna-fuzz", targets: ["nakladna-fuzz"]))
}
