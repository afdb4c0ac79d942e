import Foundation
import Testing

/// What the alert end-to-end suites share: a site folder, `scripts/webhook-receiver.py` as the
/// targets, and what it received. Each suite's site adds its config and its inputs.
class AlertTestSite: @unchecked Sendable {
    /// One request the receiver recorded.
    struct Received: Decodable {
        var path: String
        var body: [String: AnyJSON]?
        var answered: String
        var vendor: String
        /// Whether the DingTalk or Feishu signature verified (nil: not checked).
        var signature_ok: Bool?
    }

    /// Just enough JSON to read strings and whole numbers out of a body.
    enum AnyJSON: Decodable {
        case string(String), int(Int), other
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let i = try? c.decode(Int.self) {
                self = .int(i)
            } else {
                self = .other
            }
        }
        var string: String? { if case .string(let s) = self { s } else { nil } }
        var int: Int? { if case .int(let i) = self { i } else { nil } }
    }

    let folder: URL
    let port = E2E.freePort()
    var receiver: ChildProcess?
    /// A whole-hour zone in which it is about noon now, so that a shift of a few hours around now
    /// never crosses midnight, whatever the hour the tests run.
    let zone: String = {
        let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour!
        let offset = 12 - hour  // -11 ... 12; Etc/GMT's sign is the other way round
        return offset == 0 ? "UTC" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
    }()
    /// `yyyy-MM-dd HH:mm:ss` in the site's zone.
    let formatter: DateFormatter

    init(name: String) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-\(name)-\(UUID().uuidString)")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter = f
    }

    var config: String { folder.appendingPathComponent("agent.toml").path }

    func stamp(_ date: Date) -> String { formatter.string(from: date) }

    func hm(_ date: Date) -> String { String(stamp(date).dropFirst(11).prefix(5)) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// Starts the receiver, logging to `received.jsonl`, with `arguments` added (secrets, control file).
    func startReceiver(_ arguments: [String] = []) async throws {
        let script = E2EPaths.root.appendingPathComponent("scripts/webhook-receiver.py").path
        receiver = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", script, "--port", "\(port)",
                                     "--log", folder.appendingPathComponent("received.jsonl").path] + arguments,
                                    folder: folder, label: "receiver")
        try await E2E.wait(seconds: 20, for: "the webhook receiver") { self.receiver?.output.contains("listening") == true }
    }

    func received() -> [Received] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("received.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    func tearDown() {
        receiver?.terminate()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The package root, from this file's place in `Tests/DutyAgentTests/Alerts`.
enum E2EPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
