import Foundation
import Shared

/// Reads badge punches written as JSON lines: one object a line, such as
/// `{"badge": "1001", "time": "2026-11-02 08:55:00", "reader": "1", "state": 0}`.
///
/// Keys (any case): the badge as `badge`, `id`, `person`, `pin`, `user_id`; the time as `time`,
/// `datetime`, `timestamp`, `punch_time`; the reader as `reader`, `device`, `device_id`, `sn`; the
/// state as `state`, `status`, `direction` (a number or a word such as `in`, `上班签到`).
struct JSONLinesParser {
    /// The reader for objects without one.
    let fallbackReader: String

    static let badgeKeys = ["badge", "pin", "id", "person", "user_id", "userid", "badge_id", "emp_no", "工号", "考勤号码"]
    static let timeKeys = ["time", "datetime", "date_time", "timestamp", "punch_time", "check_time", "打卡时间", "日期时间"]
    static let readerKeys = ["reader", "device", "device_id", "reader_id", "sn", "机器号"]
    static let stateKeys = ["state", "status", "direction", "punch_state", "状态"]

    /// Reads `b[start..<end]` into `builder`.
    func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into builder: inout BadgeReadoutBuilder) {
        ByteText.forEachLine(b, from: start, to: end) { s, e, line in
            if ByteText.isBlank(b, s, e) {
                builder.blank()
                return true
            }
            switch record(Data(UnsafeBufferPointer(rebasing: b[s..<e])), b, s, e) {
            case .success(let r):
                builder.punch(badge: r.badge, time: r.time, reader: r.reader, state: r.state, line: line)
            case .failure(let failure):
                builder.bad(line: line, message: failure.message)
            }
            return true
        }
    }

    private struct Record {
        var badge: String
        var time: LocalDateTime
        var reader: String
        var state: Int16?
    }

    private func record(_ data: Data, _ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Result<Record, RowProblem> {
        guard let parsed = try? JSONSerialization.jsonObject(with: data), let object = parsed as? [String: Any] else {
            return .failure(.init("line: \(ByteText.shown(b, s, e)) is not a JSON object"))
        }
        var lowered: [String: Any] = [:]
        for (key, value) in object { lowered[key.lowercased()] = value }
        func value(_ keys: [String]) -> (String, Any)? {
            for key in keys { if let v = lowered[key], !(v is NSNull) { return (key, v) } }
            return nil
        }
        guard let (badgeKey, badgeValue) = value(Self.badgeKeys) else {
            return .failure(.init("badge: no badge key (badge, id, person, pin)"))
        }
        guard let badge = Self.text(badgeValue)?.trimmingCharacters(in: .whitespaces), !badge.isEmpty else {
            return .failure(.init("\(badgeKey): empty or not a string or number"))
        }
        guard let (timeKey, timeValue) = value(Self.timeKeys) else {
            return .failure(.init("time: no time key (time, datetime, timestamp)"))
        }
        guard let timeText = timeValue as? String else {
            return .failure(.init("\(timeKey): not a text; give the local wall-clock time as \"yyyy-MM-dd HH:mm:ss\""))
        }
        let utf8 = Array(timeText.trimmingCharacters(in: .whitespaces).utf8)
        let result = utf8.withUnsafeBufferPointer { TimestampParser.parse($0, 0, $0.count) }
        guard case .time(let time) = result else {
            return .failure(.init("\(timeKey): \"\(timeText)\" \(TimestampParser.problem(result) ?? "")"))
        }
        var reader = fallbackReader
        if let (_, v) = value(Self.readerKeys), let text = Self.text(v), !text.isEmpty { reader = text }
        var state: Int16? = nil
        if let (_, v) = value(Self.stateKeys), let text = Self.text(v) { state = DirectionNames.state(text) }
        return .success(Record(badge: badge, time: time, reader: reader, state: state))
    }

    /// A string or a whole number as text; nil for anything else.
    private static func text(_ value: Any) -> String? {
        if let s = value as? String { return s }
        if let i = value as? Int { return String(i) }
        if let d = value as? Double, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return nil
    }
}
