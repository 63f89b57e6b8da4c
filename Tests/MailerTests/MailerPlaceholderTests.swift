import Testing
@testable import Mailer

@Test func mailerModuleLoads() { _ = Mailer.self }
