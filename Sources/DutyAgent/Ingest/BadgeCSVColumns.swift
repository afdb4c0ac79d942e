import Foundation

/// Where a badge CSV keeps its columns, found from header names in English and Chinese.
struct BadgeCSVColumns: Equatable {
    var badge: Int
    /// A date and time column (or a time-of-day column when `date` is set).
    var time: Int?
    /// A separate date column.
    var date: Int?
    var state: Int?
    var device: Int?
    /// The header names, for messages.
    var names: [String]

    /// Badge number columns, most specific first (a badge number beats an employee number).
    static let badgeAliases = [
        "badge", "badge no.", "badge id", "pin", "ac-no.", "ac-no", "ac no.", "acno", "考勤号码", "考勤号", "考勤编号",
        "enno", "en no.", "no.", "no", "user id", "userid", "user no.", "person id", "personid", "emp no.", "empno",
        "employee id", "id", "person", "工号", "编号", "人员编号", "员工编号", "用户id", "用户编号", "登记号码",
    ]
    /// Date and time columns.
    static let dateTimeAliases = [
        "datetime", "date/time", "date time", "date_time", "日期时间", "打卡时间", "签到时间", "考勤时间", "刷卡时间",
        "punch time", "check time", "checktime", "timestamp", "time",
    ]
    /// Time-of-day columns beside a date column (also accepted holding a whole date and time).
    static let clockAliases = ["time", "时间", "打卡时间", "刷卡时间"]
    /// Date columns.
    static let dateAliases = ["date", "日期", "打卡日期", "考勤日期", "刷卡日期"]
    /// In/out state columns.
    static let stateAliases = [
        "state", "status", "direction", "check type", "checktype", "in/out", "状态", "考勤状态", "签到/签退",
        "进出", "进出状态", "打卡类型", "类型",
    ]
    /// Reader columns.
    static let deviceAliases = [
        "device", "reader", "机器号", "check point", "checkpoint", "device id", "deviceid", "machine", "machine no.",
        "terminal", "sn", "设备", "设备号", "设备名称", "考勤机", "门禁点", "location id",
    ]

    /// The columns of `header` (already lower-cased keys), or nil when it has no badge column
    /// or no time column.
    init?(header: [String]) {
        func first(_ aliases: [String], excluding used: Set<Int> = []) -> Int? {
            for alias in aliases {
                if let i = header.firstIndex(of: alias), !used.contains(i) { return i }
            }
            return nil
        }
        guard let badge = first(Self.badgeAliases) else { return nil }
        var used: Set<Int> = [badge]
        let date = first(Self.dateAliases, excluding: used)
        if let date { used.insert(date) }
        let time: Int?
        if date != nil {
            time = first(Self.clockAliases + Self.dateTimeAliases, excluding: used)
        } else {
            time = first(Self.dateTimeAliases + Self.clockAliases, excluding: used)
        }
        guard time != nil || date != nil else { return nil }
        if let time { used.insert(time) }
        self.badge = badge
        self.time = time
        self.date = date
        self.state = first(Self.stateAliases, excluding: used)
        if let state { used.insert(state) }
        self.device = first(Self.deviceAliases, excluding: used)
        self.names = header
    }

    /// The badge name of the header, for messages (`工号`, `AC-No.`).
    func name(_ column: Int) -> String { column < names.count ? names[column] : "column \(column + 1)" }
}
