/// Syslog: a UDP and TCP receiver for RFC 3164 and RFC 5424 messages, and the matching of
/// configuration-change patterns (data from the platform profiles).
///
/// Knows nothing of DriftWatch: the watcher gives it the patterns and a function that maps a
/// source address to a device, and receives ``ConfigChangeEvent``s.
public enum Syslog {}
