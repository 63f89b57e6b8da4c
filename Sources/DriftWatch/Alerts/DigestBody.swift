import Foundation

/// The content of a digest email: one line per device of a mass change, as text, HTML and
/// webhook JSON.
struct DigestBody {
    let members: [AlertEmailComposer.DigestMember]
    let batch: Int64

    var start: Date { Date(timeIntervalSince1970: Double(batch) / 1000) }

    var headline: String {
        "\(members.count) devices drifted from their baselines within a short time (from \(AlertEmailComposer.time(start))). One email for all of them instead of \(members.count)."
    }

    func line(_ member: AlertEmailComposer.DigestMember) -> String {
        var text = "\(member.alert.device): \(AlertEmailComposer.counts(member.details.drift))"
        if let id = member.alert.id { text += " (alert \(id))" }
        if let who = member.details.drift?.changedBy { text += ", changed by \(who)" }
        return text
    }

    func text() -> String {
        var out = headline + "\n\n"
        for member in members { out += "  " + line(member) + "\n" }
        out += "\nEach device's diff:\n  driftwatch diff DEVICE\n"
        out += "Accept a device's configuration as its new baseline:\n"
        out += "  driftwatch baseline approve DEVICE --snapshot latest --reason \"describe the change\"\n"
        out += "Acknowledge an alert (stops reminders):\n  driftwatch alerts ack ID --as NAME\n"
        out += "\nFurther changes to these devices are emailed one by one.\n\n-- \nDriftWatch\n"
        return out
    }

    func html() -> String {
        var out = "<!DOCTYPE html><html><body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1f2328\">"
        out += "<p style=\"font-weight:bold;color:#9a6700\">\(AlertBody.escape(headline))</p>"
        out += "<table cellpadding=\"4\" cellspacing=\"0\" border=\"1\" style=\"border-collapse:collapse;border-color:#d0d7de\">"
        out += "<tr style=\"background-color:#f6f8fa\"><th align=\"left\">Device</th><th align=\"left\">Alert</th><th align=\"left\">Changes</th><th align=\"left\">Changed by</th></tr>"
        for member in members {
            out += "<tr><td>\(AlertBody.escape(member.alert.device))</td>"
            out += "<td>\(member.alert.id.map(String.init) ?? "")</td>"
            out += "<td>\(AlertBody.escape(AlertEmailComposer.counts(member.details.drift)))</td>"
            out += "<td>\(AlertBody.escape(member.details.drift?.changedBy ?? ""))</td></tr>"
        }
        out += "</table><p><code style=\"font-family:Consolas,Menlo,monospace\">driftwatch diff DEVICE</code>, "
        out += "<code style=\"font-family:Consolas,Menlo,monospace\">driftwatch baseline approve DEVICE --snapshot latest --reason &quot;describe the change&quot;</code>, "
        out += "<code style=\"font-family:Consolas,Menlo,monospace\">driftwatch alerts ack ID --as NAME</code></p></body></html>"
        return out
    }

    func webhookJSON(subject: String, messageID: String, at now: Date) -> String {
        AlertBody.json([
            "event": "digest", "subject": subject, "messageId": messageID, "time": AlertBody.iso(now),
            "devices": members.map { member -> [String: Any] in
                [
                    "device": member.alert.device, "alert": member.alert.id ?? 0,
                    "added": member.details.drift?.delta.addedLines ?? 0,
                    "removed": member.details.drift?.delta.removedLines ?? 0,
                    "baselineVersion": member.details.drift?.baselineVersion ?? NSNull(),
                ]
            },
        ])
    }
}
