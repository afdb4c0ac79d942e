import Foundation

/// `agents list` output.
enum AgentTable {
    enum Format { case table, json }

    /// The agents as an aligned text table or a JSON array, one per line, ending in a newline.
    static func render(_ agents: [AgentRecord], format: Format) -> String {
        let sorted = agents.sorted { $0.id < $1.id }
        switch format {
        case .json:
            struct Row: Encodable {
                var id: String, units: [String], created_at: Date, revoked_at: Date?, last_contact: Date?
            }
            let rows = sorted.map {
                Row(id: $0.id, units: $0.unitPrefixes.map(\.description), created_at: $0.createdAt,
                    revoked_at: $0.revokedAt, last_contact: $0.lastContact)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
        case .table:
            guard !sorted.isEmpty else { return "no agents\n" }
            let header = ["ID", "STATUS", "UNITS", "CREATED", "LAST CONTACT"]
            let rows = sorted.map { a in
                [a.id, a.revokedAt == nil ? "active" : "revoked", a.unitPrefixes.map(\.description).joined(separator: ", "),
                 stamp(a.createdAt), a.lastContact.map(stamp) ?? "never"]
            }
            let widths = header.indices.map { i in ([header] + rows).map { width($0[i]) }.max() ?? 0 }
            return ([header] + rows).map { row in
                row.indices.map { i in i == row.count - 1 ? row[i] : row[i] + String(repeating: " ", count: widths[i] - width(row[i]) + 2) }
                    .joined()
            }.joined(separator: "\n") + "\n"
        }
    }

    private static func stamp(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
    }

    /// Display width: CJK characters take two columns.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.properties.isIdeographic || (0xFF00...0xFFEF).contains($1.value) || (0x3000...0x303F).contains($1.value)) ? 2 : 1) }
    }
}
