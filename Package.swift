// swift-tools-version: 6.1
// DriftWatch: configuration drift detection for network devices and Linux hosts.
// Dependencies point one way (see ../shared/DESIGN.md §2):
//   driftwatch (CLI) -> DriftWatch -> Baselines -> ConfigDiff
//                       DriftWatch -> SSHTransport -> CLibSSH2
//                       DeviceLab (test/demo lab: sshd + device emulators) is used by tests and `demo`.
import PackageDescription

let package = Package(
    name: "DriftWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "driftwatch", targets: ["DriftWatchCLI"]),
        .library(name: "DriftWatch", targets: ["DriftWatch"]),
        .library(name: "ConfigDiff", targets: ["ConfigDiff"]),
        .library(name: "SSHTransport", targets: ["SSHTransport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSSH2",
            path: "Sources/CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        .target(
            name: "SSHTransport",
            dependencies: [
                "CLibSSH2",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ConfigDiff",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Profiles")]
        ),
        .target(
            name: "Baselines",
            dependencies: ["ConfigDiff", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "DeviceLab",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            resources: [.copy("Emulator")]
        ),
        .target(
            name: "DriftWatch",
            dependencies: [
                "SSHTransport", "ConfigDiff", "Baselines", "DeviceLab",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "DriftWatchCLI",
            dependencies: [
                "DriftWatch", "ConfigDiff", "Baselines", "SSHTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/driftwatch"
        ),
        .executableTarget(
            name: "driftwatch-bench",
            dependencies: ["ConfigDiff", "SSHTransport", "DeviceLab"],
            path: "Benchmarks/driftwatch-bench"
        ),
        // Test helper: writes to a state store in a loop until killed (the kill -9 test in
        // Tests/DriftWatchTests/StateCrashTests.swift), and times unchanged collections by hand.
        .executableTarget(
            name: "state-crash-writer",
            dependencies: ["DriftWatch", "ConfigDiff"],
            path: "Benchmarks/state-crash-writer"
        ),
        .executableTarget(
            name: "ssh-soak",
            dependencies: ["SSHTransport", "DeviceLab"],
            path: "Benchmarks/ssh-soak"
        ),
        .testTarget(name: "SSHTransportTests", dependencies: ["SSHTransport", "DeviceLab"]),
        .testTarget(name: "ConfigDiffTests", dependencies: ["ConfigDiff", "DeviceLab"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "ConfigDiff"]),
        .testTarget(name: "DriftWatchTests", dependencies: ["DriftWatch"]),
    ]
)
