import Shared

/// The CSV digest: a header, then one row per anomaly (excused ones included, marked 已豁免), for HR
/// to open in a spreadsheet. Headers and labels are in the digest's language and come from
/// `Vocabulary`; no machine code stands beside them (`--format json` is the machine's format).
enum CSVDigest {
    /// The column names in `language`.
    static func header(_ l: Language) -> [String] {
        l == .zh
            ? ["编号", "单位", "工号", "姓名", "日期", "班次", "类别", "分钟", "程度", "审核", "请假", "应到", "应退",
               "离岗起", "离岗止", "打卡记录"]
            : ["id", "unit", "person", "name", "date", "shift", "kind", "minutes", "severity", "review", "leave",
               "expected start", "expected end", "away from", "away to", "punches"]
    }

    /// The CSV text (RFC 4180 quoting, LF line ends).
    static func render(_ report: DigestReport, language l: Language) -> String {
        let v = l.vocabulary
        var lines = [header(l).joined(separator: ",")]
        for a in report.anomalies {
            let evidence = a.evidence.map { "\($0.time)@\($0.reader) \($0.file):\($0.line)" }.joined(separator: "; ")
            let times: [LocalDateTime?] = [a.expectedStart, a.expectedEnd, a.awayFrom, a.awayTo]
            var cells: [String] = [a.id, a.unit.description, a.person, a.name, a.date.description, a.shiftLabel]
            cells.append(v.kind(a.kind))
            cells.append(String(a.minutes))
            cells.append(v.severity(a.severity))
            cells.append(l.review(a))
            cells.append(a.excused ? a.reason ?? "" : "")
            cells += times.map { $0?.description ?? "" }
            cells.append(evidence)
            lines.append(cells.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field, quoted when it holds a comma, a quote or a line break (looked for in the bytes:
    /// faster than by characters, and a CRLF, one character, is a line break too).
    static func quote(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
