import Shared

/// The CSV digest: a header, then one row per anomaly (excused ones included, flagged).
enum CSVDigest {
    /// The column names, machine-readable whatever the language.
    static let header = [
        "id", "unit", "person", "name", "date", "shift", "duty", "kind", "label", "minutes", "severity", "excused",
        "reason", "expected_start", "expected_end", "away_from", "away_to", "evidence",
    ]

    /// The CSV text (RFC 4180 quoting, LF line ends).
    static func render(_ report: DigestReport, language l: DigestLanguage) -> String {
        var lines = [header.joined(separator: ",")]
        for a in report.anomalies {
            let evidence = a.evidence.map { "\($0.time)@\($0.reader) \($0.file):\($0.line)" }.joined(separator: "; ")
            let times: [LocalDateTime?] = [a.expectedStart, a.expectedEnd, a.awayFrom, a.awayTo]
            var cells: [String] = [a.id, a.unit.description, a.person, a.name, a.date.description, a.shift]
            cells.append(a.duty ? "true" : "false")
            cells.append(a.kind.rawValue)
            cells.append(l.label(a.kind, duty: a.duty))
            cells.append(String(a.minutes))
            cells.append(a.severity.rawValue)
            cells.append(a.excused ? "true" : "false")
            cells.append(a.reason ?? "")
            cells += times.map { $0?.description ?? "" }
            cells.append(evidence)
            lines.append(cells.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field, quoted when it holds a comma, a quote or a line break.
    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
