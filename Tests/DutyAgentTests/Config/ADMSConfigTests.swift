import Foundation
import Shared
import Testing
@testable import DutyAgent

@Suite struct ADMSConfigTests {
    static let adms = """

        [[reader]]
        id = "4"

        [adms]
        listen = "127.0.0.1:9081"
        offline_minutes = 15

        [[adms.device]]
        serial = "CJDE193560303"
        reader = "2"

        [[adms.device]]
        serial = "CJDE193560304"
        reader = 4
        offline_minutes = 3
        """

    func problems(_ toml: String, files: [String: String] = ConfigFolder.defaultFiles) throws -> [InputError] {
        let folder = try ConfigFolder(toml, files: files)
        defer { folder.remove() }
        return AgentConfig.check(path: folder.configPath).problems
    }

    @Test func theSectionLoadsAndTheJournalIsABadgeInputWithoutAGlob() throws {
        var files = ConfigFolder.defaultFiles
        files["adms/2_adms.dat"] = "1001\t2026-11-02 08:00:00\t2\t0\t1\t0\n"
        files["adms/.devices.json"] = "{}"
        let folder = try ConfigFolder(ConfigFolder.validTOML + Self.adms, files: files)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        let adms = try #require(config.adms)
        #expect(adms.host == "127.0.0.1" && adms.port == 9081 && adms.offlineMinutes == 15)
        #expect(adms.devices.map(\.reader) == ["2", "4"])
        #expect(adms.devices.map(\.offlineMinutes) == [nil, 3])
        #expect(config.inputs.badges.map(\.display) == ["badges/1_attlog.dat", "badges/2_attlog.dat", "adms/2_adms.dat"])
        #expect(config.inputs.badges.last?.format == .zktecoAttlog)
        let office = try Office.load(config)
        #expect(office.input.punches.contains { $0.reader == "2" && $0.badge == "1001" })
    }

    @Test func aGlobThatAlsoMatchesTheJournalReadsItOnceAsAJournal() throws {
        var files = ConfigFolder.defaultFiles
        files["badges/2_adms.dat"] = "1001\t2026-11-02 08:00:00\t2\t0\t1\t0\n#ADMS-REJECTED\tPIN: \"x\" is not a badge number\tx\n"
        let toml = ConfigFolder.validTOML + Self.adms.replacingOccurrences(of: "[adms]\n", with: "[adms]\njournal = \"badges\"\n")
        let folder = try ConfigFolder(toml, files: files)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.inputs.badges.filter { $0.display == "badges/2_adms.dat" }.count == 1)
        #expect(config.inputs.badges.first { $0.display == "badges/2_adms.dat" }?.format == .zktecoAttlog)
        let office = try Office.load(config)
        #expect(office.quality.contains { $0.file == "badges/2_adms.dat" && $0.line == 2 && $0.kind == .badLine })
    }

    @Test func badgesMayBeLeftOutWithADMS() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "badges = [\"badges/*.dat\"]\n", with: "") + Self.adms
        #expect(try problems(toml).isEmpty)
        let without = ConfigFolder.validTOML.replacingOccurrences(of: "badges = [\"badges/*.dat\"]\n", with: "")
        #expect(try problems(without).contains { $0.field == "inputs.badges" })
    }

    @Test func mistakesAreNamedWithTheirKey() throws {
        let cases: [(String, String)] = [
            (Self.adms.replacingOccurrences(of: "127.0.0.1:9081", with: "9081"), "adms.listen"),
            (Self.adms.replacingOccurrences(of: "CJDE193560304", with: "CJDE193560303"), "adms.device[2].serial"),
            (Self.adms.replacingOccurrences(of: "CJDE193560304", with: "CJDE 1935"), "adms.device[2].serial"),
            (Self.adms.replacingOccurrences(of: "reader = 4", with: "reader = \"a\\tb\""), "adms.device[2].reader"),
            (Self.adms.replacingOccurrences(of: "offline_minutes = 15", with: "offline_minutes = 0"), "adms.offline_minutes"),
            (Self.adms.replacingOccurrences(of: "offline_minutes = 3", with: "ofline_minutes = 3"), "adms.device[2].ofline_minutes"),
            ("\n[adms]\nlisten = \"0.0.0.0:8081\"\n", "adms.device"),
            (Self.adms.replacingOccurrences(of: "reader = \"2\"", with: "reader = \"22\""), "adms.device[1].reader"),
        ]
        for (section, field) in cases {
            let found = try problems(ConfigFolder.validTOML + section)
            #expect(found.contains { $0.field == field }, "\(field): \(found)")
        }
    }
}

@Suite struct ADMSJournalReadTests {
    @Test func aLineStillBeingWrittenIsNotABadLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-journal-\(UUID().uuidString)_adms.dat")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("1001\t2026-11-02 08:00:00\t3\t0\t1\t0\n1002\t2026-11-02 08:0".utf8).write(to: url)
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "adms/3_adms.dat", fileIndex: 0, format: .zktecoAttlog,
                                         wholeLinesOnly: true)
        #expect(r.punches.count == 1 && r.quality.isEmpty)
        try Data("1002\t2026-11-02 08:0".utf8).write(to: url)
        let empty = try BadgeFileReader.read(contentsOf: url, displayName: "adms/3_adms.dat", fileIndex: 0, format: .zktecoAttlog,
                                             wholeLinesOnly: true)
        #expect(empty.punches.isEmpty && empty.quality.isEmpty)
    }
}
