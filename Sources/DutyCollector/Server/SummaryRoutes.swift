import Foundation
import Hummingbird
import NIOCore
import Shared

/// `POST /api/v1/summaries`: an agent delivers a day summary.
///
/// Checks in order: size (413), JSON and schema (400 naming the field), agent id (403), content
/// (400: negative figures, a unit or anomaly id twice, an anomaly of another date), units within
/// the grant (403 naming the unit), digest (400); then one store transaction: 201 stored,
/// 200 unchanged repeat, 409 older revision (with the stored one). A 2xx means it is durable.
struct SummaryRoutes: Sendable {
    let store: any CollectorStore
    let metrics: CollectorMetrics
    let maxBodyBytes: Int
    let clock: @Sendable () -> Date
    /// The day summary versions accepted (all of `DaySummary.supportedSchemas` but under a test hook).
    var supportedSchemas: ClosedRange<Int> = DaySummary.supportedSchemas

    /// Adds the route to `group` (already behind the agent-only `AuthMiddleware`).
    func register(on group: RouterGroup<CollectorRequestContext>) {
        group.post("summaries") { request, context in
            try await self.receive(request, context: context)
        }
    }

    private func receive(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard case .agent(let agent) = context.identity else {
            throw APIError.forbidden("forbidden_role", "only agents submit summaries")
        }
        do {
            let prepared = try await check(request, agent: agent)
            let summary = prepared.summary
            var logger = context.logger
            logger[metadataKey: "duty.date"] = "\(summary.date)"
            logger[metadataKey: "duty.revision"] = "\(summary.revision)"
            let outcome: StoreOutcome
            do {
                outcome = try await store.store(prepared)
            } catch {
                logger.error("summary not stored", metadata: ["duty.error": "\(error)"])
                throw StoreFailure.apiError(error, doing: "storing the summary")
            }
            switch outcome {
            case .stored:
                metrics.summaryReceived()
                logger.info("summary stored")
                return Self.receipt(.created, SummaryReceipt(.stored, for: summary))
            case .unchanged:
                metrics.summaryReceived()
                logger.info("summary unchanged")
                return Self.receipt(.ok, SummaryReceipt(.unchanged, for: summary))
            case .stale(let storedRevision, let storedDigest):
                var e = APIError(
                    .conflict, "stale_revision",
                    "revision \(summary.revision) of \(summary.date) is older than or conflicts with stored revision \(storedRevision)",
                    field: "revision")
                e.body.storedRevision = storedRevision
                e.body.storedDigest = storedDigest
                throw e
            }
        } catch let e as APIError {
            if e.status.code < 500 {
                try? await store.touchAgent(id: agent.id, at: clock())
                context.logger.notice("summary refused", metadata: ["duty.reason": .string(e.reason), "duty.message": .string(e.body.message)])
            }
            throw e
        }
    }

    /// Reads and validates the body and prepares it for the store; throws the API error for the
    /// first problem. The content is encoded once, for the digest and for the stored body.
    private func check(_ request: Request, agent: AgentRecord) async throws -> PreparedSummary {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge()
        }
        let sent = try SummaryDecoding.decode(Data(buffer.readableBytesView), supported: supportedSchemas)
        guard sent.agent == agent.id else {
            throw APIError.forbidden(
                "agent_mismatch", "the summary names agent \(sent.agent) but the token belongs to agent \(agent.id)")
        }
        try SummaryValidation.check(sent)
        // Units are stored in NFC, so one name typed two ways is one unit; the digest is the
        // agent's, over the summary as it was sent.
        let normalized = SummaryValidation.nfc(sent)
        let summary = normalized ?? sent
        for (i, figures) in summary.units.enumerated() where !agent.grants(figures.unit) {
            throw notGranted(figures.unit, field: "units[\(i)].unit", agent: agent)
        }
        for (i, anomaly) in summary.anomalies.enumerated() where !agent.grants(anomaly.unit) {
            throw notGranted(anomaly.unit, field: "anomalies[\(i)].unit", agent: agent)
        }
        let prepared: PreparedSummary
        do {
            prepared = try PreparedSummary(summary, receivedAt: clock())
        } catch {
            throw APIError.badRequest("unencodable", "the summary cannot be encoded: \(error)")
        }
        let digest = normalized == nil ? prepared.contentDigest : sent.contentDigest()
        guard digest == summary.digest else {
            throw APIError.badRequest(
                "digest_mismatch", "digest \(summary.digest) does not match the content (computed \(digest))", field: "digest")
        }
        return prepared
    }

    /// The receipt's response: its JSON written into bytes (what `JSONBody` writes, without a
    /// `JSONEncoder` per stored summary), or by `JSONBody` when some text is left to the encoder.
    static func receipt(_ status: HTTPResponse.Status, _ receipt: SummaryReceipt) -> Response {
        guard let bytes = receiptJSON(receipt) else { return JSONBody.response(status, receipt) }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"agent":…,"date":…,"digest":…,"revision":…,"status":…}`, or nil when some text is left to
    /// `JSONEncoder` (see `CanonicalAnomalyJSON.string`).
    static func receiptJSON(_ r: SummaryReceipt) -> [UInt8]? {
        guard let agent = CanonicalAnomalyJSON.string(r.agent), let digest = CanonicalAnomalyJSON.string(r.digest) else {
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(agent.count + digest.count + 96)
        out.append(contentsOf: #"{"agent":"#.utf8)
        out.append(contentsOf: agent)
        out.append(contentsOf: #","date":""#.utf8)
        out.append(contentsOf: r.date.description.utf8)
        out.append(contentsOf: #"","digest":"#.utf8)
        out.append(contentsOf: digest)
        out.append(contentsOf: #","revision":"#.utf8)
        out.append(contentsOf: String(r.revision).utf8)
        out.append(contentsOf: #","status":""#.utf8)
        out.append(contentsOf: r.status.rawValue.utf8)
        out.append(contentsOf: #""}"#.utf8)
        return out
    }

    private func tooLarge() -> APIError {
        APIError(.contentTooLarge, "body_too_large", "the body exceeds the limit of \(maxBodyBytes / 1024) KiB")
    }

    private func notGranted(_ unit: UnitPath, field: String, agent: AgentRecord) -> APIError {
        var e = APIError.forbidden(
            "unit_not_granted",
            "\(field) is \(unit), outside the units granted to agent \(agent.id) (\(agent.unitPrefixes.map(\.description).joined(separator: ", ")))",
            unit: unit.description)
        e.body.field = field
        return e
    }
}
