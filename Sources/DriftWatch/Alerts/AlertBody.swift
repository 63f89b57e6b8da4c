import ConfigDiff
import Foundation

/// The content of one alert email, rendered as text, as inline-styled HTML (no external CSS, no
/// script: Gmail and Outlook show it as written) and as webhook JSON. Every value is escaped in
/// the HTML form.
struct AlertBody {
    let notice: AlertNotice
    let alert: Alert
    let alertID: Int64
    let details: AlertDetails
    let context: AlertContext

    /// At most this many diff and remediation lines in an email; the rest: `driftwatch diff`.
    static let lineLimit = 400

    var device: String { alert.device }

    /// The first line of the body.
    var headline: String {
        switch (alert.kind, notice) {
        case (.drift, .opened): return "\(device) drifted from its approved baseline."
        case (.drift, .updated): return "The drift on \(device) changed."
        case (.drift, .reminded):
            return "Reminder: \(device) has drifted since \(AlertEmailComposer.time(alert.openedAt)) and nobody acknowledged it."
        case (.drift, .resolved):
            switch details.resolution?.kind {
            case .approved?:
                let r = details.resolution
                return "Resolved: a new baseline\(r?.version.map { " v\($0)" } ?? "") of \(device) was approved\(r?.approver.map { " by \($0)" } ?? "") and the configuration matches it."
            default:
                return "Resolved: \(device) is back to its approved baseline\(details.resolution?.version.map { " v\($0)" } ?? "")."
            }
        case (_, .resolved): return "Resolved: \(device): \(AlertEmailComposer.recoveredLine(alert.kind))."
        case (_, .reminded):
            return "Reminder: \(device): \(AlertEmailComposer.conditionSummary(alert.kind, details: details)) (open since \(AlertEmailComposer.time(alert.openedAt)))."
        case (.hostKeyChanged, _), (.verifyFailed, _):
            return "Security: \(device): \(AlertEmailComposer.conditionSummary(alert.kind, details: details))."
        default: return "\(device): \(AlertEmailComposer.conditionSummary(alert.kind, details: details))."
        }
    }

    /// Label and value rows of the facts table.
    var facts: [(String, String)] {
        var rows: [(String, String)] = []
        var deviceLine = device
        if let platform = context.platform { deviceLine += " (\(platform))" }
        rows.append(("Device", deviceLine))
        if !context.groups.isEmpty { rows.append(("Groups", context.groups.joined(separator: ", "))) }
        rows.append(("Alert", "\(alertID) (\(alert.kind.rawValue), \(alert.status.rawValue))"))
        if let drift = details.drift, alert.kind == .drift {
            rows.append(("Detected", AlertEmailComposer.time(drift.detectedDate)))
            var trigger = drift.trigger
            if let who = drift.changedBy { trigger += ", changed by \(who)" }
            rows.append(("Trigger", trigger))
            if let baseline = context.baseline, baseline.version == drift.baselineVersion {
                var line = "v\(baseline.version), approved by \(baseline.approver) at \(baseline.approvedAt): \(baseline.reason)"
                if let ticket = baseline.ticket { line += " (\(ticket))" }
                rows.append(("Baseline", line))
            } else if let version = drift.baselineVersion {
                rows.append(("Baseline", "v\(version)"))
            }
            if let snapshot = drift.snapshotID { rows.append(("Snapshot", String(snapshot))) }
            rows.append(("Changes", "+\(drift.delta.addedLines) \u{2212}\(drift.delta.removedLines) lines"))
        } else {
            rows.append(("Opened", AlertEmailComposer.time(alert.openedAt)))
            if alert.kind == .unreachable { rows.append(("Failures", "\(details.failures) in a row")) }
            if let failure = details.failure { rows.append(("Detail", failure)) }
        }
        if let name = alert.acknowledgedBy { rows.append(("Acknowledged", "by \(name)")) }
        if let resolution = details.resolution, resolution.kind == .approved {
            var line = "v\(resolution.version.map(String.init) ?? "?") by \(resolution.approver ?? "?")"
            if let reason = resolution.reason { line += ": \(reason)" }
            if let ticket = resolution.ticket { line += " (\(ticket))" }
            rows.append(("Approved", line))
        }
        return rows
    }

    /// The diff lines (`+ `, `- `, `  ` section context), capped at ``lineLimit``.
    var diffLines: (lines: [String], omitted: Int) {
        guard let delta = details.drift?.delta, notice != .resolved else { return ([], 0) }
        var lines = delta.render(indent: "  ").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let omitted = max(0, lines.count - Self.lineLimit)
        return (Array(lines.prefix(Self.lineLimit)), omitted)
    }

    var remediation: [String] {
        guard notice != .resolved else { return [] }
        return Array((details.drift?.remediation ?? []).prefix(Self.lineLimit))
    }

    var findings: [DeviceCheck.Finding] { notice == .resolved ? [] : details.drift?.findings ?? [] }

    /// The commands to run next, with what each does.
    var commands: [(String, String)] {
        let quoted = AlertEmailComposer.shellQuoted(device)
        var list: [(String, String)] = []
        if notice != .resolved {
            if alert.kind == .drift {
                let snapshot = details.drift?.snapshotID.map(String.init) ?? "latest"
                list.append(
                    (
                        "Accept this configuration as the new baseline",
                        "driftwatch baseline approve \(quoted) --snapshot \(snapshot) --reason \"describe the change\""
                    ))
                list.append(("See the full diff", "driftwatch diff \(quoted)"))
            }
            if alert.kind == .hostKeyChanged {
                list.append(("If the device was replaced, trust its new key", "driftwatch hostkeys trust \(quoted)"))
            }
            if alert.kind == .verifyFailed { list.append(("See what failed", "driftwatch baseline verify")) }
            if alert.status == .open {
                list.append(("Acknowledge (stops reminders)", "driftwatch alerts ack \(alertID) --as NAME"))
            }
        }
        list.append(("Show open alerts", "driftwatch alerts list"))
        return list
    }

    // MARK: Text

    func text() -> String {
        var out = headline + "\n\n"
        let width = (facts.map(\.0.count).max() ?? 0) + 2
        for (label, value) in facts {
            out += (label + ":").padding(toLength: width, withPad: " ", startingAt: 0) + value + "\n"
        }
        let diff = diffLines
        if !diff.lines.isEmpty {
            out += "\nChanges against baseline\(details.drift?.baselineVersion.map { " v\($0)" } ?? ""):\n"
            for line in diff.lines { out += line + "\n" }
            if diff.omitted > 0 { out += "... \(diff.omitted) more lines: driftwatch diff \(device)\n" }
        }
        if !findings.isEmpty {
            out += "\nStandards violated:\n"
            for finding in findings {
                let place = finding.path.isEmpty ? "" : " (in \(finding.path.joined(separator: " > ")))"
                out += "  [\(finding.severity)] \(finding.standard)/\(finding.rule): \(finding.message)\(place)\n"
            }
        }
        if !remediation.isEmpty {
            out += "\nTo revert, apply on the device:\n"
            for line in remediation { out += "  \(line)\n" }
        }
        out += "\n"
        for (what, command) in commands { out += "\(what):\n  \(command)\n" }
        out += "\n-- \nDriftWatch\n"
        return out
    }

    // MARK: HTML

    func html() -> String {
        let font = "font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1f2328"
        let mono = "font-family:Consolas,Menlo,'Courier New',monospace;font-size:13px;white-space:pre"
        var out = "<!DOCTYPE html><html><body style=\"margin:0;padding:16px;\(font)\">"
        let colour = notice == .resolved ? "#1a7f37" : (alert.kind == .drift ? "#9a6700" : "#cf222e")
        out += "<p style=\"margin:0 0 12px 0;font-size:16px;font-weight:bold;color:\(colour)\">\(Self.escape(headline))</p>"
        out += "<table cellpadding=\"4\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\(font)\">"
        for (label, value) in facts {
            out += "<tr><td style=\"font-weight:bold;vertical-align:top;padding-right:12px\">\(Self.escape(label))</td>"
            out += "<td>\(Self.escape(value))</td></tr>"
        }
        out += "</table>"
        let diff = diffLines
        if !diff.lines.isEmpty {
            out += "<h3 style=\"margin:16px 0 6px 0;font-size:15px\">Changes against baseline\(Self.escape(details.drift?.baselineVersion.map { " v\($0)" } ?? ""))</h3>"
            out += "<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;border:1px solid #d0d7de;width:100%\">"
            for line in diff.lines {
                let style: String
                if line.hasPrefix("+") {
                    style = "background-color:#e6ffec;color:#116329"
                } else if line.hasPrefix("-") {
                    style = "background-color:#ffebe9;color:#82071e"
                } else {
                    style = "background-color:#f6f8fa;color:#57606a;font-weight:bold"
                }
                out += "<tr><td style=\"\(mono);\(style);padding:1px 8px\">\(Self.escape(line))</td></tr>"
            }
            if diff.omitted > 0 {
                out += "<tr><td style=\"\(mono);padding:1px 8px\">\(Self.escape("... \(diff.omitted) more lines: driftwatch diff \(device)"))</td></tr>"
            }
            out += "</table>"
        }
        if !findings.isEmpty {
            out += "<h3 style=\"margin:16px 0 6px 0;font-size:15px\">Standards violated</h3><ul style=\"margin:0;padding-left:20px\">"
            for finding in findings {
                let severityColour = ["critical": "#cf222e", "high": "#cf222e", "medium": "#9a6700"][finding.severity] ?? "#57606a"
                let place = finding.path.isEmpty ? "" : " (in \(finding.path.joined(separator: " > ")))"
                out += "<li><span style=\"font-weight:bold;color:\(severityColour)\">[\(Self.escape(finding.severity))]</span> "
                out += "\(Self.escape(finding.standard))/\(Self.escape(finding.rule)): \(Self.escape(finding.message + place))</li>"
            }
            out += "</ul>"
        }
        if !remediation.isEmpty {
            out += "<h3 style=\"margin:16px 0 6px 0;font-size:15px\">To revert, apply on the device</h3>"
            out += "<div style=\"\(mono);background-color:#f6f8fa;border:1px solid #d0d7de;padding:8px\">"
            out += remediation.map(Self.escape).joined(separator: "<br>") + "</div>"
        }
        out += "<h3 style=\"margin:16px 0 6px 0;font-size:15px\">What to do</h3>"
        for (what, command) in commands {
            out += "<p style=\"margin:4px 0\">\(Self.escape(what)):<br>"
            out += "<code style=\"\(mono);background-color:#f6f8fa;padding:2px 4px\">\(Self.escape(command))</code></p>"
        }
        out += "<p style=\"margin:16px 0 0 0;color:#57606a;font-size:12px\">DriftWatch</p></body></html>"
        return out
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: Webhook

    func webhookJSON(subject: String, messageID: String, at now: Date) -> String {
        var object: [String: Any] = [
            "event": notice.rawValue, "subject": subject, "messageId": messageID, "time": Self.iso(now),
            "alert": [
                "id": alertID, "device": device, "kind": alert.kind.rawValue, "status": alert.status.rawValue,
                "openedAt": Self.iso(alert.openedAt),
            ] as [String: Any],
            "platform": context.platform ?? NSNull(), "groups": context.groups,
            "commands": commands.map { ["what": $0.0, "command": $0.1] },
        ]
        if let drift = details.drift, alert.kind == .drift {
            object["drift"] = [
                "added": drift.delta.addedLines, "removed": drift.delta.removedLines,
                "baselineVersion": drift.baselineVersion ?? NSNull(), "snapshotId": drift.snapshotID ?? NSNull(),
                "trigger": drift.trigger, "changedBy": drift.changedBy ?? NSNull(),
                "detectedAt": Self.iso(drift.detectedDate), "diff": diffLines.lines.joined(separator: "\n"),
                "remediation": remediation,
                "findings": findings.map {
                    ["standard": $0.standard, "rule": $0.rule, "severity": $0.severity, "message": $0.message]
                },
            ] as [String: Any]
        }
        if let failure = details.failure { object["detail"] = failure }
        if let resolution = details.resolution {
            object["resolution"] = [
                "kind": resolution.kind.rawValue, "version": resolution.version ?? NSNull(),
                "approver": resolution.approver ?? NSNull(), "reason": resolution.reason ?? NSNull(),
            ] as [String: Any]
        }
        return Self.json(object)
    }

    static func json(_ object: Any) -> String {
        guard
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func iso(_ date: Date) -> String {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format.string(from: date)
    }
}
