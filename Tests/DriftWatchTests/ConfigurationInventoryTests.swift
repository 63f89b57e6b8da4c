import Foundation
import Testing

@testable import DriftWatch

/// `inventory:` files (YAML and CSV) read from a real temporary folder.
@Suite struct ConfigurationInventoryTests {
    /// A folder with `driftwatch.yaml` and inventory files, removed by ``remove()``.
    struct Install {
        let folder: URL

        init(_ files: [String: String]) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-inv-\(UUID().uuidString)")
            for (name, text) in files {
                let url = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).standardizedFileURL.path }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static let main = """
        groups:
          core: { interval: 1m }
        devices:
          - { name: r1, host: 192.0.2.1, platform: cisco_ios, groups: [core] }
        inventory:
          - inventory/core.yaml
          - inventory/hosts.csv
        """
    static let yamlInventory = """
        # core switches
        - { name: sw1, host: 192.0.2.11, platform: cisco_ios, groups: [core],
            credentials: { username: netops, key_file: ~/.ssh/id_ed25519 } }
        - name: sw2
          host: 192.0.2.12
          platform: cisco_ios
          timeout: 10s
        """
    static let csvInventory = """
        # Linux hosts, exported from the CMDB
        name,host,platform,port,groups,username,password_env,interval,host_key_policy,key_file
        web-01,192.0.2.20,linux,2222,servers;core,audit,WEB_PASS,,tofu,
        "web-02", 192.0.2.21 ,linux,,"servers; dmz",audit,,15m,,"/keys/with,comma ""and quotes""\"

        # a comment between rows, and a blank line above
        db-01,192.0.2.30,linux,22,,,,,strict,
        """

    let loader = ConfigurationLoader(knownPlatforms: ["cisco_ios", "linux"])

    func load(_ files: [String: String]) throws -> (Install, Result<DriftWatchConfiguration, DriftWatchError>) {
        let install = try Install(files)
        do {
            return (install, .success(try loader.load(path: install.path("driftwatch.yaml"))))
        } catch let error as DriftWatchError {
            return (install, .failure(error))
        }
    }

    func standard(replacing file: String, with text: String) -> [String: String] {
        var files = [
            "driftwatch.yaml": Self.main, "inventory/core.yaml": Self.yamlInventory,
            "inventory/hosts.csv": Self.csvInventory,
        ]
        files[file] = text
        return files
    }

    /// The error of loading `text` as `file`; checks code, file and line.
    func expectError(in file: String, _ text: String, line: Int, contains: String) throws {
        let (install, result) = try load(standard(replacing: file, with: text))
        defer { install.remove() }
        guard case .failure(let error) = result else {
            Issue.record("accepted: \(file)")
            return
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.file == install.path(file), "\(error.description)")
        #expect(error.line == line, "\(error.description)")
        #expect(error.message.contains(contains), "\(error.description)")
    }

    @Test func devicesFromAllSourcesMergeInOrderWithTheirPlace() throws {
        let (install, result) = try load(standard(replacing: "driftwatch.yaml", with: Self.main))
        defer { install.remove() }
        let configuration = try result.get()
        #expect(configuration.inventoryFiles == ["inventory/core.yaml", "inventory/hosts.csv"])
        #expect(configuration.devices.map(\.name) == ["r1", "sw1", "sw2", "web-01", "web-02", "db-01"])
        #expect(configuration.devices.map(\.location) == [
            "\(install.path("driftwatch.yaml")):4", "\(install.path("inventory/core.yaml")):2",
            "\(install.path("inventory/core.yaml")):4", "\(install.path("inventory/hosts.csv")):3",
            "\(install.path("inventory/hosts.csv")):4", "\(install.path("inventory/hosts.csv")):7",
        ])
        let sw1 = try configuration.device(named: "sw1")
        #expect(sw1.credentials.username == "netops" && sw1.groups == ["core"])
        #expect(configuration.settings(for: sw1).interval == .seconds(60))
        #expect(try configuration.device(named: "sw2").overrides.timeout == .seconds(10))
    }

    @Test func csvQuotingTrimmingAndEmptyCells() throws {
        let (install, result) = try load(standard(replacing: "driftwatch.yaml", with: Self.main))
        defer { install.remove() }
        let configuration = try result.get()
        let web1 = try configuration.device(named: "web-01")
        #expect(web1.port == 2222 && web1.groups == ["servers", "core"])
        #expect(web1.credentials == CredentialReference(username: "audit", passwordEnv: "WEB_PASS"))
        #expect(web1.overrides == CollectionOverrides(hostKeyPolicy: .acceptNew))
        #expect(configuration.settings(for: web1).interval == .seconds(60))
        let web2 = try configuration.device(named: "web-02")
        #expect(web2.host == "192.0.2.21" && web2.port == 22 && web2.groups == ["servers", "dmz"])
        #expect(web2.credentials.keyFile == "/keys/with,comma \"and quotes\"")
        #expect(web2.credentials.passwordEnv == nil && web2.overrides.interval == .seconds(900))
        let db = try configuration.device(named: "db-01")
        #expect(db.groups.isEmpty && db.overrides.hostKeyPolicy == .strict && db.credentials.username == nil)
    }

    @Test func quotedFieldMaySpanLinesAndCRLFIsAccepted() throws {
        let csv = "name,host,platform,username\r\nh1,192.0.2.1,linux,\"multi\nline\"\r\nh2,192.0.2.2,linux,x\r\n"
        let (install, result) = try load(standard(replacing: "inventory/hosts.csv", with: csv))
        defer { install.remove() }
        let configuration = try result.get()
        #expect(try configuration.device(named: "h1").credentials.username == "multi\nline")
        #expect(try configuration.device(named: "h2").line == 4)
    }

    @Test(arguments: [
        ("name,host,platform,colour\nh1,192.0.2.1,linux,red\n", 1, "header, column 4 (\"colour\"): unknown column"),
        ("name,host,platform,password\nh1,192.0.2.1,linux,x\n", 1, "use a password_env or password_file column"),
        ("name,host,platform,host\nh1,a,linux,b\n", 1, "column given twice"),
        ("name,platform\nh1,linux\n", 1, "missing required column 'host'"),
        ("name,host,platform\nh1,192.0.2.1,linux\nh2,192.0.2.2\n", 3, "this row has 2 fields but the header has 3"),
        ("name,host,platform,port\n\nh1,192.0.2.1,linux,99999\n", 3, "column 'port' (column 4): a port is between"),
        ("name,host,platform,port\nh1,192.0.2.1,linux,ssh\n", 2, "column 'port' (column 4): expected a whole number"),
        ("name,host,platform\nh1,192.0.2.1,solaris\n", 2, "column 'platform' (column 3): unknown platform 'solaris'"),
        ("host,name,platform\n192.0.2.1,,linux\n", 2, "column 'name' (column 2): must not be empty"),
        ("name,host,platform\nh1,a,linux\n# c\nh1,b,linux\n", 4, "listed twice (first at line 2)"),
        ("name,host,platform,interval\nh1,a,linux,0s\n", 2, "column 'interval' (column 4): expected a positive duration"),
        ("name,host,platform,timeout\nh1,a,linux,soon\n", 2, "column 'timeout' (column 4)"),
        ("name,host,platform,host_key_policy\nh1,a,linux,yolo\n", 2, "column 'host_key_policy' (column 4): expected one of"),
        ("name,host,platform,password_env\nh1,a,linux,9-bad\n", 2, "column 'password_env' (column 4): expected the name"),
        ("name,host,platform\nh1,\"a,linux\n", 2, "not valid CSV: a quoted field is not closed"),
        ("name,host,platform\nh1,a\"b,linux\n", 2, "not valid CSV: a quote inside an unquoted field"),
        ("name,host,platform\nh1,\"a\"b,linux\n", 2, "not valid CSV: text after the closing quote"),
    ])
    func csvErrorsNameFileLineAndColumn(_ csv: String, _ line: Int, _ contains: String) throws {
        try expectError(in: "inventory/hosts.csv", csv, line: line, contains: contains)
    }

    @Test(arguments: [
        ("- { name: sw1, host: h, platform: cisco_ios, colour: red }\n", 1, "key '[0].colour': unknown key"),
        ("- { name: sw1, platform: cisco_ios }\n", 1, "missing required key 'host'"),
        ("# one\n- { name: sw1, host: h, platform: cisco_ios, interval: 0s }\n", 2, "key '[0].interval'"),
        ("name: sw1\nhost: h\n", 1, "an inventory YAML file is a list of device entries"),
        ("- { name: sw1, host: h\n", 2, "not valid YAML"),
        ("- { name: sw1, host: h, platform: cisco_ios, credentials: { password: x } }\n", 1, "password_env or password_file"),
    ])
    func yamlInventoryErrorsNameFileLineAndKey(_ yaml: String, _ line: Int, _ contains: String) throws {
        try expectError(in: "inventory/core.yaml", yaml, line: line, contains: contains)
    }

    @Test func duplicateNameAcrossFilesNamesBothPlaces() throws {
        let csv = "name,host,platform\n\nsw2,192.0.2.99,linux\n"
        let (install, result) = try load(standard(replacing: "inventory/hosts.csv", with: csv))
        defer { install.remove() }
        guard case .failure(let error) = result else {
            Issue.record("a name in two files was accepted")
            return
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.file == install.path("inventory/hosts.csv") && error.line == 3)
        #expect(error.message.contains("\(install.path("inventory/core.yaml")):4"), "\(error.description)")
    }

    @Test func badInventoryListEntriesNameTheMainFile() throws {
        for (entry, contains) in [
            ("inventory/missing.yaml", "not found"), ("inventory/hosts.txt", "(.yaml, .yml) or a CSV table"),
        ] {
            let main = Self.main.replacingOccurrences(of: "inventory/hosts.csv", with: entry)
            let (install, result) = try load(standard(replacing: "driftwatch.yaml", with: main))
            defer { install.remove() }
            guard case .failure(let error) = result else {
                Issue.record("accepted \(entry)")
                continue
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.file == install.path("driftwatch.yaml") && error.line == 7)
            #expect(error.message.contains("'inventory[1]'") && error.message.contains(contains), "\(error.description)")
        }
    }

    @Test func emptyInventoryFilesAddNothing() throws {
        let files = standard(replacing: "inventory/core.yaml", with: "# nothing yet\n").merging(
            ["inventory/hosts.csv": ""], uniquingKeysWith: { $1 })
        let (install, result) = try load(files)
        defer { install.remove() }
        #expect(try result.get().devices.map(\.name) == ["r1"])
    }
}
