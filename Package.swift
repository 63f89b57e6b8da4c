// swift-tools-version: 6.1
// DriftWatch: configuration drift detection for network devices and Linux hosts.
// Dependencies point one way (see ../shared/DESIGN.md §2):
//   driftwatch (CLI) -> DriftWatch -> Baselines -> ConfigDiff
//                       DriftWatch -> SSHTransport -> CLibSSH2
//                       DeviceLab (test/demo lab: sshd + device emulators) is used by tests and `demo`.
//   driftwatch (CLI) -> DriftWatchDemo (`driftwatch demo`) -> DriftWatch, DeviceLab
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
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSSH2",
            path: "Sources/CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        // glibc's mallopt for the executable (malloc arenas of the long-running watcher).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
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
        // SMTP client and RFC 5322/MIME messages: no DriftWatch types, reusable on its own.
        .target(
            name: "Mailer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Syslog receiver (UDP/TCP, RFC 3164/5424) and config-change pattern matching: data in,
        // events out; the watcher maps sources to devices.
        .target(
            name: "Syslog",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DriftWatch",
            dependencies: [
                "SSHTransport", "ConfigDiff", "Baselines", "Mailer", "Syslog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // `driftwatch demo`: the device lab, an SMTP receiver and the watcher as a guided tour.
        .target(
            name: "DriftWatchDemo",
            dependencies: ["DriftWatch", "DeviceLab", .product(name: "UnixSignals", package: "swift-service-lifecycle")]
        ),
        .executableTarget(
            name: "DriftWatchCLI",
            dependencies: [
                "CMalloc",
                "DriftWatch", "DriftWatchDemo", "ConfigDiff", "Baselines", "SSHTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/driftwatch"
        ),
        .executableTarget(
            name: "driftwatch-bench",
            dependencies: [
                "DriftWatch", "ConfigDiff", "SSHTransport", "DeviceLab",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/driftwatch-bench"
        ),
        // Test helper: writes to a state store in a loop until killed (the kill -9 test in
        // Tests/DriftWatchTests/StateCrashTests.swift), and times unchanged collections by hand.
        .executableTarget(
            name: "state-crash-writer",
            dependencies: ["DriftWatch", "ConfigDiff"],
            path: "Benchmarks/state-crash-writer"
        ),
        // The watcher's RSS and CPU with a large inventory (scripts/bench-watcher.sh).
        .executableTarget(
            name: "watcher-bench",
            dependencies: ["DeviceLab"],
            path: "Benchmarks/watcher-bench"
        ),
        // Edit-to-email latency of alerting on the device lab (scripts/bench-latency.sh).
        .executableTarget(
            name: "latency-bench",
            dependencies: ["DeviceLab"],
            path: "Benchmarks/latency-bench"
        ),
        .executableTarget(
            name: "ssh-soak",
            dependencies: ["SSHTransport", "DeviceLab"],
            path: "Benchmarks/ssh-soak"
        ),
        .testTarget(name: "SSHTransportTests", dependencies: ["SSHTransport", "DeviceLab"]),
        .testTarget(name: "ConfigDiffTests", dependencies: ["ConfigDiff", "DeviceLab"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "ConfigDiff"]),
        .testTarget(
            name: "MailerTests", dependencies: ["Mailer", "DeviceLab", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "SyslogTests",
            dependencies: [
                "Syslog", "DeviceLab",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "DriftWatchTests",
            dependencies: [
                "DriftWatch", "DeviceLab", "Mailer", "Syslog",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
