import Foundation

/// The in/out state named by a direction cell: numbers as they are, words mapped where the
/// meaning is plain (`上班签到`, `in`, `C/In` are 0; `下班签退`, `out`, `C/Out` are 1).
enum DirectionNames {
    static let states: [String: Int16] = [
        "in": 0, "c/in": 0, "check in": 0, "check-in": 0, "checkin": 0, "i": 0, "entry": 0, "enter": 0,
        "上班签到": 0, "上班": 0, "签到": 0, "进": 0, "入": 0, "进门": 0, "上班打卡": 0,
        "out": 1, "c/out": 1, "check out": 1, "check-out": 1, "checkout": 1, "o": 1, "exit": 1,
        "下班签退": 1, "下班": 1, "签退": 1, "出": 1, "出门": 1, "下班打卡": 1,
        "break out": 2, "break-out": 2, "外出": 2,
        "break in": 3, "break-in": 3, "外出返回": 3, "返回": 3,
        "overtime in": 4, "ot in": 4, "ot-in": 4, "加班签到": 4,
        "overtime out": 5, "ot out": 5, "ot-out": 5, "加班签退": 5,
    ]

    /// The state of `text`; nil when it is empty or not a known word (the punch is kept, its
    /// direction left to the reader configuration).
    static func state(_ text: String) -> Int16? {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        if key.isEmpty { return nil }
        if let n = Int16(key), n >= 0, n <= 255 { return n }
        return states[key]
    }
}
