import Foundation
import Shared

/// Reads the people list: CSV `id,name,unit[,badge][,post]` with a header row.
///
/// Columns by English or Chinese name: id (`id`, `工号`, `编号`, `人员编号`), name (`name`, `姓名`),
/// unit (`unit`, `部门`, `单位`, `科室`), badge (`badge`, `卡号`, `考勤号码`), post (`post`, `岗位`).
/// Units are read in Unicode NFC. A row with no id, no unit, a unit holding a control or invisible
/// character, an id already listed, or a badge already given to someone else is a `bad_line` item
/// and is skipped.
enum PeopleFileReader {
    static let idAliases = ["id", "person", "person id", "工号", "编号", "人员编号", "员工编号"]
    static let nameAliases = ["name", "姓名", "名字"]
    static let unitAliases = ["unit", "部门", "单位", "科室", "department", "dept"]
    static let badgeAliases = ["badge", "卡号", "考勤号码", "考勤号", "pin", "ac-no."]
    static let postAliases = ["post", "岗位", "职位"]
    static let joinedAliases = ["joined", "入职日期", "入职时间", "start date"]
    static let leftAliases = ["left", "离职日期", "离职时间", "end date"]

    /// Reads the people file at `url`; throws an `InputError` when it cannot be read or has no header.
    static func read(contentsOf url: URL, displayName: String) throws -> TableReadout<Person> {
        let table = try CSVTable.read(contentsOf: url, displayName: displayName, expected: header) {
            isHeader($0)
        }
        return people(in: table, displayName: displayName)
    }

    /// Reads a people file's bytes, as `read(contentsOf:)` does.
    static func read(data: Data, displayName: String) throws -> TableReadout<Person> {
        let table = try CSVTable.parse(data, displayName: displayName, expected: header) { isHeader($0) }
        return people(in: table, displayName: displayName)
    }

    private static let header = "id,name,unit[,badge][,post][,joined][,left] (or 工号,姓名,部门[,卡号][,岗位][,入职日期][,离职日期])"

    private static func isHeader(_ keys: [String]) -> Bool {
        keys.contains(where: idAliases.contains) && keys.contains(where: unitAliases.contains)
    }

    private static func people(in table: CSVTable, displayName: String) -> TableReadout<Person> {
        let id = table.column(idAliases)
        let name = table.column(nameAliases)
        let unit = table.column(unitAliases)
        let badge = table.column(badgeAliases)
        let post = table.column(postAliases)
        let joined = table.column(joinedAliases)
        let left = table.column(leftAliases)
        var out = TableReadout<Person>()
        var lineOfID: [String: Int] = [:]
        var holderOfBadge: [String: (id: String, line: Int)] = [:]
        func bad(_ row: CSVTable.Row, _ column: Int?, _ fallback: String, _ message: String) {
            let field = table.name(column, default: fallback)
            out.quality.append(QualityItem(kind: .badLine, file: displayName, line: row.line, field: field,
                                           message: "\(field): \(message)"))
        }
        for row in table.rows {
            let personID = row[id]
            guard !personID.isEmpty else { bad(row, id, "id", "empty"); continue }
            if let first = lineOfID[personID] {
                bad(row, id, "id", "\(personID) is already listed on line \(first)")
                continue
            }
            let path: UnitPath
            switch UnitText.path(row[unit]) {
            case .success(let p): path = p
            case .failure(let error): bad(row, unit, "unit", error.description); continue
            }
            guard !path.components.isEmpty else { bad(row, unit, "unit", "empty"); continue }
            let badgeText = row[badge].isEmpty ? personID : row[badge]
            if let holder = holderOfBadge[badgeText] {
                bad(row, badge ?? id, "badge", "\(badgeText) is already the badge of \(holder.id) on line \(holder.line)")
                continue
            }
            let postText = row[post]
            // Employment dates: a row whose date cannot be read is skipped whole, since guessing
            // either way could charge someone for days they were not employed.
            var dates: [CivilDate?] = []
            var unreadable = false
            for (column, fallback) in [(joined, "joined"), (left, "left")] {
                let text = row[column]
                if text.isEmpty { dates.append(nil); continue }
                guard let d = TableDates.date(text) else {
                    bad(row, column, fallback, "\"\(text)\" is not a date (yyyy-MM-dd, 2026年11月4日)")
                    unreadable = true
                    break
                }
                dates.append(d)
            }
            if unreadable { continue }
            if let j = dates[0], let l = dates[1], l < j {
                bad(row, left, "left", "\(l) is before the joined date \(j)")
                continue
            }
            lineOfID[personID] = row.line
            holderOfBadge[badgeText] = (personID, row.line)
            out.rows.append(Person(id: personID, name: row[name], unit: path, badge: badgeText,
                                   post: postText.isEmpty ? nil : postText, joined: dates[0], left: dates[1]))
        }
        return out
    }
}
