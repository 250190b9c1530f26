// swift-tools-version:6.0
import PackageDescription

// A release build links the Swift runtime and Foundation in statically: the reference-count
// calls a build makes millions of go straight to the runtime, not through a shared library's
// table, and the program starts without resolving the libraries' symbols (docs/performance.md).
// Modules are compiled for it too, so each names the static libraries it needs.
let staticRelease = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
let staticSwift: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], staticRelease)]
let staticLink: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"], staticRelease)]

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DossierCore", targets: ["DossierCore"]),
        .executable(name: "dossier", targets: ["dossier"]),
        .executable(name: "dossier-bench", targets: ["dossier-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // libcmark from the system (Debian: libcmark-dev), found through pkg-config.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        // One system call Swift cannot reach directly: the atomic swap of two folders.
        .target(name: "CDossierSystem"),
        .target(
            name: "DossierCore",
            dependencies: [
                "CCmark",
                "CDossierSystem",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: staticSwift
        ),
        // The preview server, apart from the core so the core stays quick to build.
        .target(
            name: "DossierServe",
            dependencies: [
                "DossierCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: staticSwift
        ),
        // The command line allocates through tcmalloc (Debian: libgoogle-perftools-dev) instead of
        // glibc's malloc: a cold build spends about a tenth less processor time (docs/performance.md).
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierCore",
                "DossierServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticSwift,
            linkerSettings: [.linkedLibrary("tcmalloc_minimal", .when(platforms: [.linux]))] + staticLink
        ),
        // The benchmark: `swift run -c release dossier-bench`. Not part of the tests.
        .executableTarget(
            name: "dossier-bench",
            dependencies: ["DossierCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: staticSwift,
            linkerSettings: staticLink
        ),
        .testTarget(
            name: "DossierCoreTests",
            dependencies: [
                "DossierCore",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
