import ArgumentParser
import DriftWatch
import Foundation
import Logging
import Prometheus

/// `driftwatch watch`: the long-running watcher, until SIGTERM or SIGINT.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Collect every device on its interval and on triggers, until SIGTERM or SIGINT.",
        discussion: """
            Every device is collected every defaults.interval (with jitter), at most \
            defaults.concurrency at once; a syslog config-change message, 'driftwatch collect \
            DEVICE' and 'driftwatch baseline approve' put a device at the front of the queue. \
            SIGHUP or 'driftwatch reload' re-reads driftwatch.yaml without pausing collection. \
            SIGTERM or SIGINT stops new work, lets in-flight collections finish (or hit their time \
            limit) and exits 0. Exit status 2: a bad configuration, or another watcher already uses \
            the state store. Logs go to standard error. See docs/watcher.md.

            Examples:
              driftwatch watch
              driftwatch watch --config /etc/driftwatch/driftwatch.yaml --log-level debug
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level is one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "driftwatch.watch")
        logger.logLevel = level
        let watcher: Watcher
        do {
            watcher = try buildWatcher(
                configPath: global.config, options: WatcherOptions(handleSignals: true),
                registry: PrometheusCollectorRegistry(), logger: logger)
        } catch {
            CheckCommand.writeError("driftwatch watch: \(error)")
            throw ExitCode(2)
        }
        let configuration = watcher.configuration
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.run() }
                if let syslog = configuration.syslog {
                    group.addTask {
                        guard let ports = try await watcher.syslogPorts() else { return }
                        let host = syslog.listen[..<(syslog.listen.lastIndex(of: ":") ?? syslog.listen.endIndex)]
                        CheckCommand.write(
                            "syslog listening on \(host) udp \(ports.udp.map(String.init) ?? "-") tcp \(ports.tcp.map(String.init) ?? "-")"
                        )
                    }
                }
                if let http = configuration.http {
                    CheckCommand.write("http listening on \(http.listen)")
                }
                CheckCommand.write(
                    "watching \(configuration.devices.count) devices (state \(configuration.resolve(configuration.state).path))"
                )
                try await group.waitForAll()
            }
        } catch {
            CheckCommand.writeError("driftwatch watch: \(error)")
            throw ExitCode(2)
        }
    }
}
