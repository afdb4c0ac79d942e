import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Shared
import Testing
@testable import DutyCollector

/// A collector application over a fresh SQLite file, with an admin token, one HR reviewer and
/// agents registered directly in the store.
struct TestCollector: Sendable {
    static let adminToken = "admin-token-for-tests-0123456789"
    static let reviewerToken = "reviewer-token-for-tests-0123456789"
    static let agentToken = "agent-a-token-0123456789abcdef"
    static let otherAgentToken = "agent-b-token-0123456789abcdef"
    static let revokedAgentToken = "agent-r-token-0123456789abcdef"

    static let root = "市场监管局"
    static let squad1 = "市场监管局/执法大队/一中队"
    static let squad2 = "市场监管局/执法大队/二中队"
    static let office = "市场监管局/办公室"
    /// The fixed time of every request.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    let store: any CollectorStore
    let config: CollectorConfig
    let registry: PrometheusCollectorRegistry

    /// Runs `body` with a collector over a new SQLite file: agent `office-a` may report on
    /// 执法大队, `office-b` on 办公室, `office-r` is revoked.
    /// `configure` changes the config before the application is built; `testing` is `.router` (no
    /// sockets) or `.live` (a real server on a free port).
    static func run(maxBodyKB: Int = 1024, store wrap: (@Sendable (any CollectorStore) -> any CollectorStore)? = nil,
                    testing: TestingSetup = .router, configure: (inout CollectorConfig) -> Void = { _ in },
                    logger given: Logger? = nil,
                    _ body: @escaping @Sendable (TestCollector, any TestClientProtocol) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sqlite = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
        do {
            try await sqlite.addAgent(agent("office-a", ["市场监管局/执法大队"], token: agentToken))
            try await sqlite.addAgent(agent("office-b", [office], token: otherAgentToken))
            try await sqlite.addAgent(agent("office-r", [root], token: revokedAgentToken))
            _ = try await sqlite.revokeAgent(id: "office-r", at: now)
            var config = CollectorConfig.defaults(directory: dir)
            config.adminTokenHash = TokenHash.of(adminToken)
            config.reviewers = [Reviewer(name: "人事科王敏", tokenHash: TokenHash.of(reviewerToken))]
            config.server.maxBodyKB = maxBodyKB
            configure(&config)
            let registry = PrometheusCollectorRegistry()
            let store = wrap?(sqlite) ?? sqlite
            let collector = TestCollector(store: sqlite, config: config, registry: registry)
            var logger = given ?? Logger(label: "duty-collector-test")
            if given == nil { logger.logLevel = .critical }
            let app = buildApplication(config: config, store: store, registry: registry, logger: logger, clock: { now })
            try await app.test(testing) { client in try await body(collector, client) }
        } catch {
            await sqlite.close()
            throw error
        }
        await sqlite.close()
    }

    static func agent(_ id: String, _ prefixes: [String], token: String) -> AgentRecord {
        AgentRecord(id: id, unitPrefixes: prefixes.map(UnitPath.init), tokenHash: TokenHash.of(token), createdAt: now)
    }
}

/// Day summaries for the route tests.
enum Samples {
    static func day(_ d: Int) -> CivilDate { CivilDate(year: 2026, month: 11, day: d)! }

    /// An anomaly with its stable id.
    static func anomaly(_ person: String, _ kind: AnomalyKind, unit: String = TestCollector.squad1, date: CivilDate = day(2),
                        minutes: Int = 12, severity: Severity = .minor) -> Anomaly {
        let start = LocalDateTime(date: date, secondsOfDay: 9 * 3600)
        return Anomaly(
            id: StableID.anomaly(site: "office-a", person: person, date: date, shift: "day", kind: kind, start: start),
            person: person, name: "张\(person)", unit: UnitPath(unit), date: date, shift: "day", duty: false, kind: kind,
            minutes: minutes, severity: severity, excused: false, reason: nil, expectedStart: start,
            expectedEnd: LocalDateTime(date: date, secondsOfDay: 17 * 3600),
            evidence: [Evidence(file: "punches/2026-11.csv", line: 42, time: start.adding(seconds: Int64(minutes * 60)), reader: "大门", direction: .entrance)])
    }

    /// A summary of one or more units whose figures count `anomalies` as charged.
    static func summary(agent: String = "office-a", date: CivilDate = day(2), revision: Int = 1,
                        units: [String] = [TestCollector.squad1], scheduled: Int = 10,
                        anomalies: [Anomaly] = [], generatedAt: Date = TestCollector.now) -> DaySummary {
        let figures = units.map { unit -> UnitDayFigures in
            var kinds: [AnomalyKind: KindFigures] = [:]
            for a in anomalies where a.unit.description == unit {
                kinds[a.kind, default: KindFigures()].count += 1
                kinds[a.kind, default: KindFigures()].minutes += a.minutes
            }
            return UnitDayFigures(unit: UnitPath(unit), scheduled: scheduled, present: scheduled - (kinds[.absent]?.count ?? 0),
                                  kinds: kinds)
        }
        return DaySummary(agent: agent, site: "执法大队机关", date: date, revision: revision, generatedAt: generatedAt,
                          units: figures, anomalies: anomalies, quality: [])
    }

    /// The wire JSON of `summary`.
    static func body(_ summary: DaySummary) -> ByteBuffer {
        ByteBuffer(bytes: try! DaySummary.canonicalEncoder.encode(summary))
    }
}

/// Request helpers.
extension TestClientProtocol {
    /// Sends a request with an optional bearer token and body; returns the response.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Posts `summary` with `token`.
    @discardableResult
    func post(_ summary: DaySummary, token: String = TestCollector.agentToken) async throws -> TestResponse {
        try await send(.post, "/api/v1/summaries", token: token, body: Samples.body(summary))
    }

    /// Posts a JSON object given as text.
    @discardableResult
    func postJSON(_ uri: String, _ json: String, token: String?) async throws -> TestResponse {
        try await send(.post, uri, token: token, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The body as text.
    var text: String { String(buffer: body) }
}

/// A log handler that keeps every message, for tests that check what is logged.
struct CapturingLogHandler: LogHandler {
    /// The messages logged so far, with their level.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(Logger.Level, String)] = []
        func append(_ level: Logger.Level, _ message: String) { lock.withLock { lines.append((level, message)) } }
        var all: [(level: Logger.Level, message: String)] { lock.withLock { lines } }
    }

    let lines: Lines
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.level, event.message.description)
    }

    /// A logger writing into a new `Lines`.
    static func logger() -> (Logger, Lines) {
        let lines = Lines()
        return (Logger(label: "captured") { _ in CapturingLogHandler(lines: lines) }, lines)
    }
}
