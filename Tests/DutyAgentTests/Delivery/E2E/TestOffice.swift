import Foundation
@testable import DutyAgent
import Shared

/// A small generated office whose dates end yesterday (site time), so the run is the same size
/// whatever the day the tests run: people in three units, a day shift, a badge CSV with on-time,
/// late, early, absent and one-punch days, and a whole-day leave.
struct TestOffice {
    static let siteID = "e2e-office"
    static let rootUnit = "市场监管局"

    let folder: URL
    /// First and last business date with data; `to` is yesterday in Asia/Shanghai.
    let from: CivilDate
    let to: CivilDate
    var configPath: String { folder.appendingPathComponent("agent.toml").path }
    var spool: URL { folder.appendingPathComponent("spool") }

    /// Writes the office into `folder` with a `[collector]` section pointing at `collectorURL`.
    init(folder: URL, collectorURL: URL, token: String?, days: Int = 8, spoolMaxMB: Int = 256,
         spoolFolder: String = "spool", seed: UInt64 = 7) throws {
        self.folder = folder
        let today = Office.localNow(in: TimeZone(identifier: "Asia/Shanghai")!).date
        to = today.adding(days: -1)
        from = today.adding(days: -days)
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("badges"), withIntermediateDirectories: true)
        let people = [("1001", "张伟", "办公室"), ("1002", "王芳", "办公室"), ("1003", "李娜", "食品科"),
                      ("1004", "刘洋", "食品科"), ("1005", "陈静", "执法大队"), ("1006", "杨磊", "执法大队"),
                      ("1007", "赵敏", "执法大队"), ("1008", "黄勇", "执法大队/一中队")]
        var peopleCSV = "id,name,unit\n"
        for (id, name, unit) in people { peopleCSV += "\(id),\(name),\(Self.rootUnit)/\(unit)\n" }
        try write(peopleCSV, "people.csv")
        var rng = SeededGenerator(seed: seed)
        var badges = "id,time,device\n"
        var d = from
        while d <= to {
            for (id, _, _) in people {
                badges += Self.punches(id, d, &rng)
            }
            d = d.adding(days: 1)
        }
        try write(badges, "badges/gate.csv")
        try write("person,start,end,kind,note\n1002,\(to.adding(days: -2)),\(to.adding(days: -2)),annual,年假\n", "leaves.csv")
        let tokenLine = token.map { _ in "token_file = \"agent.token\"\n" } ?? ""
        if let token { try write(token + "\n", "agent.token") }
        try write("""
            [site]
            id = "\(Self.siteID)"
            timezone = "Asia/Shanghai"

            [inputs]
            people = "people.csv"
            badges = ["badges/*.csv"]
            leaves = "leaves.csv"

            # The window runs to midnight (17:30 + 390 min), so today is never settled while it is
            # today: with the default 120 min, today was decided from 19:30 site time on and the
            # office had 9 dates instead of 8 every evening (CI at 11:30-16:00 UTC failed).
            [rules]
            check_out_late = 390

            [[shift]]
            code = "day"
            start = "09:00"
            end = "17:30"
            breaks = ["12:00-13:30"]

            [[schedule]]
            units = ["\(Self.rootUnit)"]
            shift = "day"
            days = "all"

            [collector]
            url = "\(collectorURL.absoluteString)"
            \(tokenLine)spool = "\(spoolFolder)"
            spool_max_mb = \(spoolMaxMB)
            settle_minutes = 0
            scan_seconds = 1

            """, "agent.toml")
    }

    /// One person's punches on one date: mostly on time, sometimes late, early, absent or one punch.
    static func punches(_ id: String, _ date: CivilDate, _ rng: inout SeededGenerator) -> String {
        func at(_ minutes: Int, _ seconds: Int = 0) -> String {
            "\(id),\(LocalDateTime(date: date, secondsOfDay: minutes * 60 + seconds)),1\n"
        }
        let roll = Int.random(in: 0..<100, using: &rng)
        let arrive = Int.random(in: 500...544, using: &rng), leave = Int.random(in: 1051...1100, using: &rng)
        switch roll {
        case 0..<10: return at(Int.random(in: 550...620, using: &rng), 30) + at(leave)
        case 10..<18: return at(arrive) + at(Int.random(in: 960...1040, using: &rng))
        case 18..<23: return ""
        case 23..<28: return at(arrive)
        default: return at(arrive) + at(leave)
        }
    }

    /// Adds a badge file with punches that arrive late: `person` was there on `date` after all.
    func addLateFile(person: String, date: CivilDate, name: String = "late.csv") throws {
        try write("id,time,device\n\(person),\(LocalDateTime(date: date, secondsOfDay: 8 * 3600 + 50 * 60)),1\n"
                  + "\(person),\(LocalDateTime(date: date, secondsOfDay: 17 * 3600 + 45 * 60)),1\n", "badges/\(name)")
    }

    /// Appends a whole-day leave.
    func addLeave(person: String, date: CivilDate) throws {
        let url = folder.appendingPathComponent("leaves.csv")
        var text = try String(contentsOf: url, encoding: .utf8)
        text += "\(person),\(date),\(date),trip,出差\n"
        try write(text, "leaves.csv")
    }

    private func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
    }
}

/// A small deterministic generator (SplitMix64), so a seed gives the same office every time.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
