import Foundation
import Shared

/// What `status` shows of the alert queue: per target, what waits, the last ones sent, and the last
/// error while failing. Reads the files only; safe beside a running daemon.
struct AlertsReport: Codable, Sendable, Equatable {
    struct Line: Codable, Sendable, Equatable {
        var id: String
        var kind: String
        var person: String?
        var reader: String?
        var due: String
        /// When it was sent (sent ones only).
        var sent: Date?
    }

    struct Target: Codable, Sendable, Equatable {
        var name: String
        var kind: String
        var queued: [Line]
        /// The last few sent, newest last.
        var sent: [Line]
        var lastSuccess: Date?
        var lastError: String?
        /// Failures since the last success (non-zero: failing).
        var failures: Int
    }

    var folder: String
    var targets: [Target]

    /// Reads the queue of `settings`; `lastSent` sent alerts per target.
    static func read(_ settings: AlertsConfig, lastSent: Int = 5) -> AlertsReport {
        var targets: [Target] = []
        for t in settings.targets {
            let base = settings.queue.appendingPathComponent(t.queueKey)
            func lines(_ sub: String, _ names: [String]) -> [Line] {
                names.compactMap { name in
                    let file = base.appendingPathComponent(sub).appendingPathComponent(name)
                    guard let data = FileManager.default.contents(atPath: file.path),
                          let entry = try? AlertQueue.decoder.decode(AlertQueue.Entry.self, from: data) else { return nil }
                    let sent = sub == "sent"
                        ? (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date : nil
                    return Line(id: entry.alert.id, kind: entry.alert.kind.rawValue, person: entry.alert.person,
                                reader: entry.alert.reader, due: entry.alert.due.description, sent: sent)
                }
            }
            let state = AlertSender.readState(settings.queue, t)
            targets.append(Target(name: t.name, kind: t.kind.rawValue,
                                  queued: lines("pending", AlertQueue.names(base.appendingPathComponent("pending"))),
                                  sent: lines("sent", Array(AlertQueue.names(base.appendingPathComponent("sent")).suffix(lastSent))),
                                  lastSuccess: state?.lastSuccess, lastError: (state?.failures ?? 0) > 0 ? state?.lastError : nil,
                                  failures: state?.failures ?? 0))
        }
        return AlertsReport(folder: settings.queue.path, targets: targets)
    }

    /// The text form for `status`, one fact a line.
    var text: String {
        var out = ""
        let formatter = ISO8601DateFormatter()
        for t in targets {
            let state = t.failures > 0 ? "FAILING (\(t.failures) attempts): \(t.lastError ?? "-")" : "ok"
            out += "alerts \(t.name) (\(t.kind)): \(t.queued.count) queued, \(state)"
                + (t.lastSuccess.map { "; last sent \(formatter.string(from: $0))" } ?? "") + "\n"
            for l in t.queued { out += "  queued: \(Self.describe(l))\n" }
            for l in t.sent { out += "  sent \(l.sent.map(formatter.string) ?? "?"): \(Self.describe(l))\n" }
        }
        return out
    }

    private static func describe(_ l: Line) -> String {
        "\(l.kind) \(l.person ?? l.reader.map { "reader \($0)" } ?? "-") due \(l.due) [\(l.id)]"
    }
}
