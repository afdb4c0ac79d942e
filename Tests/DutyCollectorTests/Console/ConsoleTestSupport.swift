import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Prometheus
import Shared
import Testing
@testable import DutyCollector

/// A clock the console tests move by hand (session time-outs, sign-in delays).
final class TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>
    init(_ start: Date) { box = NIOLockedValueBox(start) }
    var now: Date { box.withLockedValue { $0 } }
    func advance(seconds: Double) { box.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// A collector over a fresh SQLite file with console users of every role, driven through
/// `app.test(.router)` by `ConsoleBrowser`s that keep their cookies.
struct ConsoleHarness: Sendable {
    static let password = "correct-horse-battery"
    static let squad1 = "市场监管局/执法大队/一中队"
    static let squad2 = "市场监管局/执法大队/二中队"
    static let brigade = "市场监管局/执法大队"
    static let office = "市场监管局/办公室"

    let store: any CollectorStore
    let clock: TestClock
    let client: any TestClientProtocol
    /// The application's kept figures (to wait for those built in the background).
    let caches: FigureCaches

    /// The accounts every harness has: `admin`; `hr-all` (whole organisation); `hr-squad1`;
    /// `manager-squad2`; `staff-1001` (person 1001 of 一中队); `staff-2001` (person 2001 of 二中队);
    /// `gone` (disabled).
    static let accounts: [(String, UserRole, [String], String?)] = [
        ("admin", .admin, [], nil), ("hr-all", .hr, [], nil), ("hr-squad1", .hr, [squad1], nil),
        ("manager-squad2", .manager, [squad2], nil), ("staff-1001", .staff, [], "1001"), ("staff-2001", .staff, [], "2001"),
        ("gone", .hr, [], nil),
    ]

    /// `patience`: how long a page waits for a rebuild before it shows older figures (zero: at once).
    static func run(patience: Duration = StampedCache.defaultPatience,
                    configure: @Sendable (inout CollectorConfig) -> Void = { _ in },
                    _ body: @escaping @Sendable (ConsoleHarness) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-console-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
        let clock = TestClock(TestCollector.now)
        do {
            let hash = Bcrypt.hash(password, cost: 4)
            for (name, role, units, person) in accounts {
                _ = try await store.addUser(NewUser(name: name, role: role, units: units.map(UnitPath.init), person: person,
                                                    passwordHash: hash, createdAt: clock.now.addingTimeInterval(-86_400)))
            }
            _ = try await store.disableUser(name: "gone", at: clock.now.addingTimeInterval(-3600))
            try await store.addAgent(TestCollector.agent("office-a", ["市场监管局"], token: TestCollector.agentToken))
            var config = CollectorConfig.defaults(directory: dir)
            config.adminTokenHash = TokenHash.of(TestCollector.adminToken)
            config.console.bcryptCost = 4
            configure(&config)
            var logger = Logger(label: "duty-collector-test")
            logger.logLevel = .critical
            let caches = FigureCaches(patience: patience)
            let app = buildApplication(config: config, store: store, logger: logger, clock: { clock.now }, caches: caches)
            try await app.test(.router) { client in
                try await body(ConsoleHarness(store: store, clock: clock, client: client, caches: caches))
            }
            await caches.settle()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// A browser with no cookies yet.
    func browser() -> ConsoleBrowser { ConsoleBrowser(client: client) }

    /// A browser signed in as `name`.
    func signedIn(_ name: String) async throws -> ConsoleBrowser {
        let browser = browser()
        let response = try await browser.signIn(name, Self.password)
        try #require(response.status == .seeOther, "sign-in of \(name) answered \(response.status)")
        return browser
    }
}

/// Requests with a cookie jar, as a browser sends them.
final class ConsoleBrowser: Sendable {
    let client: any TestClientProtocol
    private let jar = NIOLockedValueBox<[String: String]>([:])

    init(client: any TestClientProtocol) { self.client = client }

    var cookies: [String: String] { jar.withLockedValue { $0 } }

    /// Forgets one cookie (or sets it), as a user clearing it would.
    func setCookie(_ name: String, _ value: String?) { jar.withLockedValue { $0[name] = value } }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse { try await send(.get, uri, body: nil) }

    /// Posts `fields` as a form (`csrf` added from the page's token when `csrf` is true).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, body: ByteBuffer(string: body))
    }

    /// Opens the sign-in page and posts the form with its token.
    @discardableResult
    func signIn(_ name: String, _ password: String, next: String = "") async throws -> TestResponse {
        let page = try await get("/login")
        let token = try #require(Self.hidden("csrf", in: page.text))
        return try await post("/login", [("csrf", token), ("name", name), ("password", password), ("next", next)])
    }

    /// The value of the hidden field `name` in `html`.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The CSRF token of the signed-in pages (read from `/account`).
    func csrf() async throws -> String {
        try #require(Self.hidden("csrf", in: try await get("/account").text))
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        let cookie = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookie.isEmpty { headers[.cookie] = cookie }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            let attributes = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            let expired = attributes.contains("Max-Age=0") || attributes.contains { attribute in
                guard attribute.lowercased().hasPrefix("expires=") else { return false }
                return Self.httpDate(String(attribute.dropFirst("expires=".count))).map { $0 <= Date() } ?? false
            }
            jar.withLockedValue { $0[name] = expired || value.isEmpty ? nil : value }
        }
        return response
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
