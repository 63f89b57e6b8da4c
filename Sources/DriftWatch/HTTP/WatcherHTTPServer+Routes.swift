import ConfigDiff
import Foundation
import Hummingbird
import Logging

extension WatcherHTTPServer {
    /// The routes: health, readiness and metrics always; the API behind ``BearerTokenMiddleware``.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in APIResponse.text("ok\n") }
        router.get("readyz") { _, _ in await self.readiness() }
        router.get("metrics") { _, _ in await self.metricsResponse() }

        let api = router.group("api/v1").add(
            middleware: BearerTokenMiddleware<BasicRequestContext>(tokenDigest: tokenDigest))
        api.get("devices") { _, _ in await self.answer { try await self.deviceList() } }
        api.get("devices/:name") { _, context in
            await self.answer { try await self.deviceDetail(context.parameters.get("name") ?? "") }
        }
        api.get("devices/:name/drift") { _, context in
            await self.answer { try await self.drift(context.parameters.get("name") ?? "") }
        }
        api.post("devices/:name/collect") { _, context in
            await self.answer { try await self.collect(context.parameters.get("name") ?? "") }
        }
        api.post("reload") { _, _ in await self.answer { try await self.reload() } }
        api.get("alerts") { _, _ in
            await self.answer {
                let alerts = try await self.store.alerts(includeResolved: false)
                return try APIResponse.json(APIDocument.AlertList(alerts: alerts.map(APIDocument.Alert.init)))
            }
        }
        return router
    }

    // MARK: - Health

    func readiness() async -> Response {
        if await control.isReady() { return APIResponse.text("ready\n") }
        return APIResponse.text(
            "not ready: the watcher is still starting (configuration, state store or scheduler not up yet)\n",
            status: .serviceUnavailable)
    }

    func metricsResponse() async -> Response {
        await refreshComputedGauges(now: Date())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    // MARK: - API

    /// Runs a handler, turning its errors into JSON answers: an unknown device is 404, a
    /// configuration error 422, anything else 500 (logged).
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as DriftWatchError {
            switch error.code {
            case .unknownDevice:
                return APIResponse.failure(.notFound, code: "unknown_device", error.message)
            case .invalidConfiguration, .configurationNotFound:
                return APIResponse.failure(
                    .unprocessableContent, code: "invalid_configuration", error.message, file: error.file,
                    line: error.line)
            default:
                logger.error("HTTP API request failed", metadata: ["error.code": "\(error.code.rawValue)"])
                return APIResponse.failure(.internalServerError, code: error.code.rawValue, error.description)
            }
        } catch let error as StateStoreError {
            logger.error("HTTP API request failed", metadata: ["error": "\(error)"])
            return APIResponse.failure(.internalServerError, code: "state_store", "\(error)")
        } catch {
            logger.error("HTTP API request failed", metadata: ["error": "\(error)"])
            return APIResponse.failure(.internalServerError, code: "internal", "the request failed: \(error)")
        }
    }

    func deviceList() async throws -> Response {
        let inventory = await control.inventory()
        let states = Dictionary(
            try await store.deviceStates().map { ($0.device, $0) }, uniquingKeysWith: { _, last in last })
        let devices = inventory.map { APIDocument.Device(entry: $0, state: states[$0.name]) }
        return try APIResponse.json(APIDocument.DeviceList(devices: devices))
    }

    func deviceDetail(_ name: String) async throws -> Response {
        guard let entry = await control.inventory().first(where: { $0.name == name }) else {
            return APIResponse.unknownDevice(name)
        }
        let state = try await store.deviceState(device: name)
        let runs = try await store.collectionRuns(device: name, limit: recentRunLimit)
        let latest = try await store.snapshots(device: name, limit: 1).first
        return try APIResponse.json(
            APIDocument.DeviceDetail(
                device: APIDocument.Device(entry: entry, state: state), latestSnapshotID: .init(latest?.id),
                recentRuns: runs.map(APIDocument.Run.init)))
    }

    func drift(_ name: String) async throws -> Response {
        guard let entry = await control.inventory().first(where: { $0.name == name }) else {
            return APIResponse.unknownDevice(name)
        }
        let state = try await store.deviceState(device: name)
        let summary = state?.drift
        let delta = summary?.delta
        var remediation: [String]?
        if let delta, let profile = try? catalog?.profile(PlatformID(entry.platform)) {
            remediation = DriftRemediation.lines(for: delta, style: profile.style, negation: profile.negation)
        } else if delta == nil {
            remediation = []
        }
        return try APIResponse.json(
            APIDocument.Drift(
                device: name, state: state?.status.rawValue ?? "unknown", baselineVersion: .init(state?.baselineVersion),
                snapshotID: .init(summary?.snapshotID), summary: .init(summary.map(APIDocument.DriftCounts.init)),
                text: delta?.render() ?? "", delta: .init(delta), remediation: .init(remediation)))
    }

    func collect(_ name: String) async throws -> Response {
        guard await control.inventory().contains(where: { $0.name == name }) else {
            return APIResponse.unknownDevice(name)
        }
        try await control.trigger(device: name, reason: .manual, user: Self.apiUser)
        logger.info("collection triggered through the HTTP API", metadata: ["device.name": "\(name)"])
        return try APIResponse.json(
            APIDocument.Triggered(device: name, trigger: CollectionTrigger.manual.rawValue), status: .accepted)
    }

    func reload() async throws -> Response {
        let summary = try await control.reload(requestedBy: Self.apiUser)
        return try APIResponse.json(APIDocument.Reload(summary))
    }
}
