import Testing
@testable import Syslog

@Test func syslogModuleLoads() { _ = Syslog.self }
