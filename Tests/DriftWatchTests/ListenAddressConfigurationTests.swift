import Foundation
import Testing

@testable import DriftWatch

/// `syslog.listen` and `http.listen` go through one parser (``ListenAddress``): the loader
/// refuses what the listeners would refuse, with the file, line and key, and both listeners read
/// the same forms (bracketed IPv6 included).
@Suite struct ListenAddressConfigurationTests {
    func load(_ section: String) throws -> DriftWatchConfiguration {
        try ConfigurationLoader(knownPlatforms: ["cisco_ios"]).parse(
            "devices:\n  - { name: r1, host: 192.0.2.1, platform: cisco_ios }\n" + section, file: "/srv/dw/driftwatch.yaml",
            folder: URL(fileURLWithPath: "/srv/dw"))
    }

    @Test(arguments: [
        ("syslog: { listen: \"[::1]:5514\" }", "syslog"), ("http: { listen: \"[::1]:9180\" }", "http"),
        ("syslog: { listen: 0.0.0.0:5514 }", "syslog"), ("http: { listen: localhost:9180 }", "http"),
    ])
    func goodAddressesLoadAndParseTheSameWay(section: String, key: String) throws {
        let configuration = try load(section)
        let text = try #require(key == "syslog" ? configuration.syslog?.listen : configuration.http?.listen)
        let address = try ListenAddress(parsing: text, key: "\(key).listen")
        #expect(address.port == (key == "syslog" ? 5514 : 9180))
        #expect(!address.host.hasPrefix("["))
    }

    @Test(arguments: [
        ("syslog: { listen: \"::1:5514\" }", "syslog.listen", "IPv6 address without brackets"),
        ("syslog: { listen: 127.0.0.1:0 }", "syslog.listen", "port 0"),
        ("http: { listen: \"[::1]9180\" }", "http.listen", "no ':PORT'"),
        ("http: { listen: 127.0.0.1:70000 }", "http.listen", "no valid port"),
        ("http: { listen: 9180 }", "http.listen", "has no port"),
    ])
    func badAddressesNameFileLineAndKey(section: String, key: String, why: String) {
        #expect {
            try load(section)
        } throws: { error in
            guard let error = error as? DriftWatchError else { return false }
            return error.code == .invalidConfiguration && error.line == 3 && error.message.contains("'\(key)'")
                && error.message.contains(why) && error.message.split(separator: "'\(key)'").count <= 2
        }
    }
}
