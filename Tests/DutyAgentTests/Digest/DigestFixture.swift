import Shared
@testable import DutyAgent

/// A hand-made rule run covering every anomaly kind, an excused one, a night shift with a punch
/// on the next day, and data-quality items: the input of the digest golden tests.
enum DigestFixture {
    static func t(_ s: String) -> LocalDateTime { LocalDateTime(s)! }

    static func anomaly(_ person: String, _ name: String, _ unit: String, _ date: String, _ shift: String,
                        _ kind: AnomalyKind, _ minutes: Int, _ severity: Severity, duty: Bool = false,
                        excused: String? = nil, start: String? = nil, end: String? = nil,
                        away: (String, String)? = nil, evidence: [(String, Int, String, String)] = []) -> Anomaly {
        Anomaly(id: StableID.anomaly(site: "fixture", person: person, date: CivilDate(date)!, shift: shift, kind: kind,
                                     start: LocalDateTime(date: CivilDate(date)!, secondsOfDay: 0)), person: person, name: name, unit: UnitPath(unit),
                date: CivilDate(date)!, shift: shift, shiftName: shift == "night-duty" ? "夜间值班" : "日间班", duty: duty, kind: kind, minutes: minutes, severity: severity,
                excused: excused != nil, reason: excused, expectedStart: start.map(t), expectedEnd: end.map(t),
                awayFrom: away.map { t($0.0) }, awayTo: away.map { t($0.1) },
                evidence: evidence.map { Evidence(file: $0.0, line: $0.1, time: t($0.2), reader: $0.3) })
    }

    static var evaluation: Evaluation {
        let anomalies = [
            anomaly("1002", "王芳", "市场监管局/办公室", "2026-11-02", "day", .late, 12, .minor,
                    start: "2026-11-02 09:00:00", end: "2026-11-02 17:30:00",
                    evidence: [("badges/1_attlog.dat", 3, "2026-11-02 09:11:30", "1")]),
            anomaly("1001", "张伟", "市场监管局/办公室", "2026-11-03", "day", .absent, 420, .critical,
                    excused: "年假", start: "2026-11-03 09:00:00", end: "2026-11-03 17:30:00"),
            anomaly("1001", "张伟", "市场监管局/办公室", "2026-11-02", "day", .missingOut, 0, .minor,
                    evidence: [("badges/1_attlog.dat", 1, "2026-11-02 08:51:02", "1")]),
            anomaly("2001", "欧阳晓明", "市场监管局/执法大队/一中队", "2026-11-02", "night-duty", .offPost, 40, .critical,
                    duty: true, away: ("2026-11-02 23:00:00", "2026-11-02 23:40:00"),
                    evidence: [("badges/3_attlog.dat", 1, "2026-11-02 23:00:00", "3"),
                               ("badges/2_attlog.dat", 2, "2026-11-02 23:40:00", "2")]),
            anomaly("2001", "欧阳晓明", "市场监管局/执法大队/一中队", "2026-11-02", "night-duty", .earlyLeave, 35, .serious,
                    duty: true, start: "2026-11-02 20:00:00", end: "2026-11-03 08:00:00",
                    evidence: [("badges/3_attlog.dat", 2, "2026-11-03 07:25:00", "3")]),
            anomaly("1003", "李娜", "市场监管局/食品科", "2026-11-02", "day", .missingIn, 0, .minor,
                    evidence: [("badges/1_attlog.dat", 9, "2026-11-02 17:40:00", "1")]),
        ]
        let outcomes: [InstanceOutcome] = [
            .init(person: "1001", unit: UnitPath("市场监管局/办公室"), date: CivilDate("2026-11-02")!, shift: "day", duty: false, status: .present),
            .init(person: "1001", unit: UnitPath("市场监管局/办公室"), date: CivilDate("2026-11-03")!, shift: "day", duty: false, status: .excused),
            .init(person: "1002", unit: UnitPath("市场监管局/办公室"), date: CivilDate("2026-11-02")!, shift: "day", duty: false, status: .present),
            .init(person: "1002", unit: UnitPath("市场监管局/办公室"), date: CivilDate("2026-11-03")!, shift: "day", duty: false, status: .unverified),
            .init(person: "2001", unit: UnitPath("市场监管局/执法大队/一中队"), date: CivilDate("2026-11-02")!, shift: "night-duty", duty: true, status: .present),
            .init(person: "1003", unit: UnitPath("市场监管局/食品科"), date: CivilDate("2026-11-02")!, shift: "day", duty: false, status: .present),
            .init(person: "1003", unit: UnitPath("市场监管局/食品科"), date: CivilDate("2026-11-03")!, shift: "day", duty: false, status: .pending),
        ]
        let quality = [
            QualityItem(kind: .unknownBadge, file: "badges/1_attlog.dat", line: 13, date: CivilDate("2026-11-02"),
                        badge: "9999", reader: "1", count: 2, message: "Badge 9999 is on no row of the people list."),
            QualityItem(kind: .readerSilent, date: CivilDate("2026-11-03"), count: 1,
                        message: "No reader recorded a punch on 2026-11-03; 1 instance left unverified."),
        ]
        return Evaluation(anomalies: anomalies, quality: quality, instances: outcomes)
    }

    static var report: DigestReport {
        DigestReport(siteID: "sjj-hq", siteName: "市场监管局机关", from: CivilDate("2026-11-02")!,
                     to: CivilDate("2026-11-03")!, completeThrough: CivilDate("2026-11-03"), evaluation: evaluation,
                     ingestQuality: [QualityItem(kind: .badLine, file: "badges/1_attlog.dat", line: 4,
                                                 message: "time: \"2047-02-30 19:13:30\" is a date that does not exist")],
                     files: 3, punches: 1234)
    }
}
