extension DriftWatchConfiguration {
    /// What changes when this configuration replaces `old` (a reload): devices added (in this
    /// configuration's inventory order), removed (in `old`'s order), and changed: present in
    /// both with a different host, port, platform, groups, credential references or effective
    /// collection settings (``settings(for:)``, so a change to `defaults:` or to a group's
    /// overrides marks every device it reaches). Where an entry sits (file, line) is not a
    /// change.
    public func reloadSummary(from old: DriftWatchConfiguration) -> ReloadSummary {
        let oldByName = Dictionary(old.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(devices.map(\.name))
        var added: [String] = []
        var changed: [String] = []
        for device in devices {
            guard let previous = oldByName[device.name] else {
                added.append(device.name)
                continue
            }
            let same =
                device.host == previous.host && device.port == previous.port && device.platform == previous.platform
                && device.groups == previous.groups && device.credentials == previous.credentials
                && settings(for: device) == old.settings(for: previous)
                && concurrencyGroups(for: device).map { groupConcurrencyLimits[$0] }
                    == old.concurrencyGroups(for: previous).map { old.groupConcurrencyLimits[$0] }
            if !same { changed.append(device.name) }
        }
        let removed = old.devices.map(\.name).filter { !newNames.contains($0) }
        return ReloadSummary(added: added, removed: removed, changed: changed, devices: devices.count)
    }
}
