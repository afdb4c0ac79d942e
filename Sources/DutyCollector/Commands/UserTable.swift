import Foundation

/// `users list` output (never the password hashes).
enum UserTable {
    enum Format { case table, json }

    /// The users as an aligned text table or a JSON array, ending in a newline.
    static func render(_ users: [UserAccount], format: Format) -> String {
        switch format {
        case .json:
            struct Row: Encodable {
                var name: String, role: String, units: [String], person: String?, created_at: Date, disabled_at: Date?
                var password_changed_at: Date
            }
            let rows = users.map {
                Row(name: $0.name, role: $0.role.rawValue, units: $0.units.map(\.description), person: $0.person,
                    created_at: $0.createdAt, disabled_at: $0.disabledAt, password_changed_at: $0.passwordChangedAt)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
        case .table:
            guard !users.isEmpty else { return "no users\n" }
            let header = ["NAME", "ROLE", "STATUS", "SCOPE", "CREATED"]
            let rows = users.map { u in
                [u.name, u.role.rawValue, u.isDisabled ? "disabled" : "active", scope(u), stamp(u.createdAt)]
            }
            let widths = header.indices.map { i in ([header] + rows).map { AgentTable.width($0[i]) }.max() ?? 0 }
            return ([header] + rows).map { row in
                row.indices.map { i in
                    i == row.count - 1 ? row[i] : row[i] + String(repeating: " ", count: widths[i] - AgentTable.width(row[i]) + 2)
                }.joined()
            }.joined(separator: "\n") + "\n"
        }
    }

    /// What the user sees: "all units", the subtrees, or "person P".
    static func scope(_ user: UserAccount) -> String {
        switch user.role {
        case .admin: "all units"
        case .staff: "person \(user.person ?? "?")"
        case .hr, .manager: user.units.isEmpty ? "all units" : user.units.map(\.description).joined(separator: ", ")
        }
    }

    private static func stamp(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
    }
}
