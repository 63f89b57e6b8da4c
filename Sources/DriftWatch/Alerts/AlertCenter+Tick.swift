import Foundation

extension AlertCenter {
    /// See ``DriftAlerting/tick(now:)``: enqueues notices left pending by a crash, sends held
    /// openings whose maintenance window closed, reminders that are due and digests whose batch
    /// closed, and verifies the baseline store every ``verifyInterval``.
    public func tick(now: Date) async {
        let alerts: [Alert]
        do {
            alerts = try await store.alerts(includeResolved: false)
        } catch {
            logger.error("alerts could not be read for reminders and digests", metadata: ["error": "\(error)"])
            return
        }
        unresolved = Set(alerts.map { Self.name($0.device, $0.kind, $0.key) })
        var batches: [Int64: [Alert]] = [:]
        for alert in alerts.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            let details = AlertDetails(json: alert.details)
            let context = self.context(alert.device, version: details.drift?.baselineVersion)
            if !details.pending.isEmpty {
                await flushPending(device: alert.device, kind: alert.kind, key: alert.key, context: context, at: now)
                continue
            }
            switch details.hold {
            case .maintenance?:
                let entry = devices[alert.device]
                guard !schedule.contains(now, device: alert.device, groups: entry?.groups ?? []) else { continue }
                let ticket = details.heldNotice == .updated ? nil : digest.admit(device: alert.device, at: now)
                let opened = await apply(
                    .maintenanceClosed(admission: ticket?.admission ?? .individual), device: alert.device,
                    kind: alert.kind, key: alert.key, context: context, at: now)
                if let ticket, !opened { digest.retract(ticket) }
            case .digest?:
                if let batch = details.digestBatch { batches[batch, default: []].append(alert) }
            case nil:
                if lifecycle.decide(alert, .reminderDue, device: alert.device, kind: alert.kind, key: alert.key, at: now)
                    != nil
                {
                    await apply(.reminderDue, device: alert.device, kind: alert.kind, key: alert.key, context: context, at: now)
                }
            }
        }
        for (batch, members) in batches.sorted(by: { $0.key < $1.key }) {
            let closes = Date(timeIntervalSince1970: Double(batch) / 1000).addingTimeInterval(digest.seconds)
            if now >= closes { await sendDigest(batch: batch, members: members, at: now) }
        }
        if let interval = verifyInterval,
            lastVerify.map({ now.timeIntervalSince($0) >= Double(interval.components.seconds) }) ?? true
        {
            lastVerify = now
            await baselinesVerified(baselines.verifyAll(), at: now)
        }
    }

    /// Enqueues one digest listing `members` with the first member's update, then marks the
    /// others. The digest's `Message-ID` derives from the batch, so after a crash between the
    /// two steps the digest is not enqueued twice (the store refuses the duplicate id).
    func sendDigest(batch: Int64, members: [Alert], at now: Date) async {
        let sorted = members.sorted { $0.device < $1.device }
        let listed = sorted.map { alert in
            AlertEmailComposer.DigestMember(
                alert: alert, details: AlertDetails(json: alert.details), context: context(alert.device, version: nil))
        }
        let drafts = composer.digest(batch: batch, members: listed, at: now)
        let lifecycle = self.lifecycle
        var attached = false
        for alert in sorted {
            let messages = attached ? [] : drafts
            let decide: @Sendable (Alert?) throws -> AlertUpdate? = { current in
                guard
                    let decision = lifecycle.decide(
                        current, .digestSent, device: alert.device, kind: alert.kind, key: alert.key, at: now)
                else { return nil }
                return AlertUpdate(alert: decision.alert, messages: messages, audit: nil)
            }
            do {
                let result = try await store.updateAlert(device: alert.device, kind: alert.kind, key: alert.key, decide)
                if result != nil { attached = attached || !messages.isEmpty }
            } catch let error as StateStoreError where error.code == .conflict && !messages.isEmpty {
                // Enqueued before a crash: mark this member without a second digest.
                attached = true
                let plain: @Sendable (Alert?) throws -> AlertUpdate? = { current in
                    lifecycle.decide(current, .digestSent, device: alert.device, kind: alert.kind, key: alert.key, at: now)
                        .map { AlertUpdate(alert: $0.alert) }
                }
                _ = try? await store.updateAlert(device: alert.device, kind: alert.kind, key: alert.key, plain)
            } catch {
                logger.error(
                    "digest could not be enqueued", metadata: ["device.name": "\(alert.device)", "error": "\(error)"])
            }
        }
        if attached {
            wakeup.signal()
            logger.notice("digest enqueued", metadata: ["digest.devices": "\(sorted.count)"])
        }
    }
}
