import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real duty-collector on loopback with its own SQLite file in a temporary folder.
final class CollectorUnderTest: @unchecked Sendable {
    static let adminToken = "e2e-admin-token-0123456789abcdef"

    let binary: URL
    let folder: URL
    let port: Int
    private(set) var child: ChildProcess?
    private var starts = 0

    /// The certificate (chain), key and issuing CA when the collector serves HTTPS.
    let tls: (cert: URL, key: URL, ca: URL)?

    var url: URL { URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")! }
    var configPath: String { folder.appendingPathComponent("collector.toml").path }
    /// More environment for `serve` (e.g. `DUTY_COLLECTOR_MAX_SCHEMA` to act as an older collector).
    var extraEnvironment: [String: String] = [:]
    var environment: [String: String] { extraEnvironment.merging(["DUTY_COLLECTOR_ADMIN_TOKEN": Self.adminToken]) { _, b in b } }

    init(binary: URL, folder: URL, tls: (cert: URL, key: URL, ca: URL)? = nil) throws {
        self.binary = binary
        self.folder = folder
        self.tls = tls
        port = E2E.freePort()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tlsKeys = tls.map { "tls_cert = \"\($0.cert.path)\"\ntls_key = \"\($0.key.path)\"\n" } ?? ""
        try Data("""
            [server]
            host = "127.0.0.1"
            port = \(port)
            \(tlsKeys)

            [database]
            url = "sqlite:collector.sqlite"

            """.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Starts `serve` and waits until `/healthz` answers.
    func start() async throws {
        starts += 1
        child = try ChildProcess(binary, ["serve", "--config", configPath], folder: folder, label: "collector-\(starts)",
                                 environment: environment)
        try await E2E.wait(seconds: 30, for: "the collector on port \(port)") {
            guard child?.isRunning == true else { throw E2EFailure("collector exited: \(child?.errors ?? "")") }
            if tls != nil { return try await getOverTLS("/healthz", admin: false).status == 200 }
            return try await get("/healthz", admin: false).status == 200
        }
    }

    /// kill -9, as a power cut would.
    func kill9() { child?.kill9() }

    func stop() { child?.terminate() }

    /// `agents add`: registers the agent and returns its token.
    func addAgent(id: String, units: [String]) throws -> String {
        let r = try ChildProcess.run(binary, ["agents", "add", "--id", id, "--units"] + units + ["--config", configPath],
                                     folder: folder, label: "agents-add", environment: environment)
        guard r.status == 0 else { throw E2EFailure("agents add failed: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `agents revoke`.
    func revoke(id: String) async throws {
        let r = try await ChildProcess.execute(binary, ["agents", "revoke", "--id", id, "--config", configPath],
                                     folder: folder, label: "agents-revoke", environment: environment)
        guard r.status == 0 else { throw E2EFailure("agents revoke failed: \(r.stderr)") }
    }

    /// GET `path` (with the admin token unless `admin` is false); a failure after 15 s even if
    /// URLSession never calls back.
    func get(_ path: String, admin: Bool = true) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 10
        if admin { request.setValue("Bearer \(Self.adminToken)", forHTTPHeaderField: "Authorization") }
        let sent = request
        return try await E2E.within(seconds: 15, "GET \(path) on the collector at port \(port)") {
            let (data, response) = try await URLSession.shared.data(for: sent)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
    }

    /// GET `path` over HTTPS with curl, trusting only the collector's CA (URLSession on Linux cannot
    /// be given a private CA).
    func getOverTLS(_ path: String, admin: Bool = true) async throws -> (status: Int, body: Data) {
        guard let tls else { throw E2EFailure("the collector serves plain HTTP") }
        var arguments = ["curl", "-sS", "--max-time", "10", "--cacert", tls.ca.path, "-w", "\n%{http_code}"]
        if admin { arguments += ["-H", "Authorization: Bearer \(Self.adminToken)"] }
        let r = try await ChildProcess.execute(URL(fileURLWithPath: "/usr/bin/env"), arguments + ["\(url.absoluteString)\(path)"],
                                               folder: folder, label: "curl-\(UUID().uuidString.prefix(4))")
        guard r.status == 0, let cut = r.stdout.lastIndex(of: "\n") else { return (0, Data(r.stderr.utf8)) }
        return (Int(r.stdout[r.stdout.index(after: cut)...]) ?? 0, Data(r.stdout[..<cut].utf8))
    }

    /// The figures of `unit` (descendants included) for `from...to`.
    func figures(unit: String, from: String, to: String) async throws -> Figures {
        let r = try await get("/api/v1/units?from=\(from)&to=\(to)")
        guard r.status == 200 else { throw E2EFailure("GET /api/v1/units answered \(r.status): \(String(decoding: r.body, as: UTF8.self))") }
        struct Response: Decodable { var units: [Figures] }
        let units = try JSONDecoder().decode(Response.self, from: r.body).units
        return units.first { $0.unit == unit }.map { $0.normalised } ?? Figures(unit: unit)
    }

    /// Ids of the stored anomalies of `from...to` (latest revisions), with repeats if any, read a page
    /// at a time as any script must.
    func anomalyIDs(from: String, to: String) async throws -> [String] {
        struct Item: Decodable { var id: String }
        struct Response: Decodable {
            var anomalies: [Item]
            var nextOffset: Int?
            enum CodingKeys: String, CodingKey { case anomalies, nextOffset = "next_offset" }
        }
        var ids: [String] = []
        var offset: Int? = 0
        while let at = offset {
            let r = try await get("/api/v1/anomalies?from=\(from)&to=\(to)&limit=10000&offset=\(at)")
            guard r.status == 200 else {
                throw E2EFailure("GET /api/v1/anomalies answered \(r.status): \(String(decoding: r.body, as: UTF8.self))")
            }
            let page = try JSONDecoder().decode(Response.self, from: r.body)
            ids += page.anomalies.map(\.id)
            offset = page.nextOffset
        }
        return ids
    }
}

/// Figures as the collector reports a unit and as `check --format json` totals them.
struct Figures: Codable, Equatable, CustomStringConvertible {
    struct Kind: Codable, Equatable {
        var count: Int
        var minutes: Int
    }
    var unit: String = ""
    var scheduled = 0
    var present = 0
    var excused = 0
    var unverified = 0
    var kinds: [String: Kind] = [:]

    /// Kinds with a zero count left out.
    var normalised: Figures {
        var f = self
        f.kinds = f.kinds.filter { $0.value.count != 0 || $0.value.minutes != 0 }
        return f
    }

    /// The totals of `duty-agent check --format json`, for comparing with the collector's root unit.
    static func fromCheck(_ json: Data, unit: String) throws -> Figures {
        struct Totals: Decodable {
            struct Instances: Decodable { var scheduled: Int; var present: Int; var excused: Int; var unverified: Int; var pending: Int }
            var instances: Instances
            var kinds: [String: Kind]
        }
        struct Document: Decodable { var totals: Totals }
        let t = try JSONDecoder().decode(Document.self, from: json).totals
        guard t.instances.pending == 0 else { throw E2EFailure("check left \(t.instances.pending) instances pending") }
        return Figures(unit: unit, scheduled: t.instances.scheduled, present: t.instances.present,
                       excused: t.instances.excused, unverified: t.instances.unverified, kinds: t.kinds).normalised
    }

    var description: String {
        let k = kinds.keys.sorted().map { "\($0) \(kinds[$0]!.count)/\(kinds[$0]!.minutes)min" }.joined(separator: ", ")
        return "\(unit): scheduled \(scheduled), present \(present), excused \(excused), unverified \(unverified); \(k)"
    }
}
