import Foundation
import Shared
import Testing
@testable import DutyAgent

@Suite struct AgentConfigTests {
    /// The error `load` throws for `toml`, or nil when it loads.
    func loadError(_ toml: String, files: [String: String] = ConfigFolder.defaultFiles) throws -> (InputError?, String) {
        let folder = try ConfigFolder(toml, files: files)
        defer { folder.remove() }
        do {
            _ = try AgentConfig.load(path: folder.configPath)
            return (nil, folder.configPath)
        } catch let error as InputError {
            return (error, folder.configPath)
        }
    }

    @Test func aShiftNameIsWhatPeopleReadAndAnEmptyOneIsAnError() throws {
        let named = ConfigFolder.validTOML.replacingOccurrences(of: "code = \"night-duty\"\n",
                                                                with: "code = \"night-duty\"\nname = \"夜间值班\"\n")
        let folder = try ConfigFolder(named)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.shiftsByCode["night-duty"]?.name == "夜间值班" && config.shiftsByCode["night-duty"]?.label == "夜间值班")
        #expect(config.shiftsByCode["day"]?.name == nil && config.shiftsByCode["day"]?.label == "day")
        let e = try #require(try loadError(named.replacingOccurrences(of: "name = \"夜间值班\"", with: "name = \" \"")).0)
        #expect(e.field == "shift[2].name", "\(e)")
    }

    @Test func validConfigLoadsWithDefaultsMerged() throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.site.id == "test-site")
        #expect(config.site.name == "测试局")
        #expect(config.site.timeZone.identifier == "Asia/Shanghai")
        #expect(config.inputs.badges.map(\.display) == ["badges/1_attlog.dat", "badges/2_attlog.dat"])
        #expect(config.inputs.people.display == "people.csv")
        #expect(config.inputs.workweek == [.mon, .tue, .wed, .thu, .fri])
        let shifts = config.shiftsByCode
        #expect(shifts["day"]?.rules.awayLimit == 30)
        #expect(shifts["night-duty"]?.rules.awayLimit == 15)
        #expect(shifts["night-duty"]?.kind == .duty)
        // A break after midnight of a night shift counts from the shift date's midnight.
        #expect(shifts["night-duty"]?.breaks == [BreakWindow(start: ClockTime(minutes: 26 * 60), end: ClockTime(minutes: 27 * 60))])
        #expect(shifts["day"]?.breaks == [BreakWindow(start: ClockTime(minutes: 720), end: ClockTime(minutes: 810))])
        #expect(config.readers == [ReaderConfig(id: "2", post: "duty-room", direction: .entrance)])
        #expect(config.schedules == [Schedule(units: [UnitPath("市场监管局")], shift: "day", days: .workdays)])
        #expect(config.collector == nil)
    }

    @Test func rulesAwayLimitAppliesToEveryShiftUnlessOverridden() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "grace_late = 5", with: "grace_late = 7\naway_limit = 20")
            .replacingOccurrences(of: "code = \"day\"", with: "code = \"day\"\ngrace_late = 2")
        let folder = try ConfigFolder(toml)
        defer { folder.remove() }
        let shifts = try AgentConfig.load(path: folder.configPath).shiftsByCode
        #expect(shifts["day"]?.rules.awayLimit == 20)
        #expect(shifts["night-duty"]?.rules.awayLimit == 20)
        #expect(shifts["day"]?.rules.graceLate == 2)
        #expect(shifts["night-duty"]?.rules.graceLate == 7)
    }

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "grace_late = 5", with: "grace_lat = 5")
        let (error, path) = try loadError(toml)
        let e = try #require(error)
        #expect(e.file == path)
        #expect(e.line == 10)
        #expect(e.field == "rules.grace_lat")
        #expect(e.message.contains("did you mean \"grace_late\""))
        #expect(e.description.hasPrefix("\(path):10: rules.grace_lat: unknown key"))
    }

    @Test func badTimeNamesTheShiftKeyAndLine() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "end = \"08:00\"", with: "end = \"25:00\"")
        let e = try #require(try loadError(toml).0)
        #expect(e.field == "shift[2].end")
        #expect(e.line == 27)
        #expect(e.message.contains("25:00"))
    }

    @Test func scheduleWithUndefinedShiftCode() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "shift = \"day\"", with: "shift = \"dya\"")
        let e = try #require(try loadError(toml).0)
        #expect(e.field == "schedule[1].shift")
        #expect(e.line == 33)
        #expect(e.message.contains("no [[shift]] has code \"dya\""))
    }

    @Test func missingFileAndEmptyGlobNameThePattern() throws {
        var files = ConfigFolder.defaultFiles
        files["people.csv"] = nil
        let (e1, path) = try loadError(ConfigFolder.validTOML, files: files)
        let missing = try #require(e1)
        #expect(missing.file == path)
        #expect(missing.field == "inputs.people")
        #expect(missing.line == 6)
        #expect(missing.message.contains("no such file: \"people.csv\""))

        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "badges/*.dat", with: "logs/*.dat")
        let empty = try #require(try loadError(toml).0)
        #expect(empty.field == "inputs.badges")
        #expect(empty.line == 7)
        #expect(empty.message.contains("no file matches \"logs/*.dat\""))
    }

    @Test func syntaxErrorCarriesTheParsersLine() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "grace_late = 5", with: "grace_late = = 5")
        let e = try #require(try loadError(toml).0)
        #expect(e.line == 10)
        #expect(e.field == nil)
    }

    @Test func everyProblemIsReportedByCheck() throws {
        let toml = ConfigFolder.validTOML
            .replacingOccurrences(of: "start = \"09:00\"", with: "start = \"9h\"")
            .replacingOccurrences(of: "direction = \"in\"", with: "direction = \"inward\"")
            .replacingOccurrences(of: "posts = [\"duty-room\"]", with: "posts = [\"duty-rom\"]")
            .replacingOccurrences(of: "[rules]", with: "[inputs.extra]\n[rules]")
            + "\n[[schedule]]\nunits = [\"x\"]\nshift = \"day\"\ndays = [\"mon\", \"funday\"]\n"
        let folder = try ConfigFolder(toml)
        defer { folder.remove() }
        let (config, problems) = AgentConfig.check(path: folder.configPath)
        #expect(config == nil)
        let fields = Set(problems.compactMap(\.field))
        #expect(fields.isSuperset(of: ["shift[1].start", "reader[1].direction", "shift[2].posts", "inputs.extra",
                                       "schedule[2].days"]))
        #expect(problems.allSatisfy { $0.line != nil })
    }

    @Test func siteAndCollectorKeys() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "name = \"测试局\"", with: "timezone = \"Mars/Olympus\"")
        let e = try #require(try loadError(toml).0)
        #expect(e.field == "site.timezone")
        #expect(e.line == 3)

        let withCollector = ConfigFolder.validTOML + """

            [collector]
            url = "http://127.0.0.1:8080"
            token_file = "agent.token"
            settle_minutes = 5

            """
        let folder = try ConfigFolder(withCollector)
        defer { folder.remove() }
        let c = try #require(try AgentConfig.load(path: folder.configPath).collector)
        #expect(c.url.absoluteString == "http://127.0.0.1:8080")
        #expect(c.spool.path == folder.url.appendingPathComponent("spool").standardizedFileURL.path)
        #expect(c.tokenFile?.lastPathComponent == "agent.token")
        #expect(c.spoolMaxMB == 256 && c.settleMinutes == 5 && c.scanSeconds == 60)

        let badURL = withCollector.replacingOccurrences(of: "http://127.0.0.1:8080", with: "ftp:/x")
        #expect(try loadError(badURL).0?.field == "collector.url")
    }

    @Test func everySceneConfigLoads() throws {
        let scenarios = BuiltAgent.scenarios
        let folders = try FileManager.default.contentsOfDirectory(atPath: scenarios.path).sorted()
        var loaded = 0
        for name in folders {
            let path = scenarios.appendingPathComponent(name).appendingPathComponent("agent.toml").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let config = try AgentConfig.load(path: path)
            #expect(!config.inputs.badges.isEmpty, "\(name)")
            loaded += 1
        }
        #expect(loaded >= 10)
    }
}
