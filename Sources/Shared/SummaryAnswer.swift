/// The collector's answers to a day summary (`POST /api/v1/summaries`), defined once for both
/// programs so that the agent and the collector cannot drift; pinned by the wire fixtures
/// `Tests/DutyCollectorTests/Fixtures/wire/answer-*.json`.
///
/// - 201 `stored` and 200 `unchanged` (a repeat of the stored revision) answer a `SummaryReceipt`;
/// - every refusal (4xx, 5xx) answers an `APIRefusal`; a 409 `stale_revision` carries the stored
///   revision and its digest, from which the agent decides whether its content was delivered.
public struct SummaryReceipt: Hashable, Sendable, Codable {
    /// What the collector did with an accepted summary.
    public enum Status: String, Sendable, Codable {
        case stored
        case unchanged
    }

    public var status: Status
    public var agent: String
    public var date: CivilDate
    public var revision: Int
    public var digest: String

    public init(status: Status, agent: String, date: CivilDate, revision: Int, digest: String) {
        self.status = status
        self.agent = agent
        self.date = date
        self.revision = revision
        self.digest = digest
    }

    /// The receipt of `summary`.
    public init(_ status: Status, for summary: DaySummary) {
        self.init(status: status, agent: summary.agent, date: summary.date, revision: summary.revision,
                  digest: summary.digest)
    }
}

/// The JSON body of every refusal of the collector's API:
/// `{"error":"missing_field","message":"units[2].scheduled is missing","field":"units[2].scheduled"}`.
/// `error` is a stable machine-readable reason; `message` a sentence for people.
public struct APIRefusal: Hashable, Sendable, Codable {
    public var error: String
    public var message: String
    /// The request field at fault.
    public var field: String?
    /// The unit outside an agent's grant.
    public var unit: String?
    /// On a 409 `stale_revision`: the revision the collector holds, and its digest.
    public var storedRevision: Int?
    public var storedDigest: String?

    public init(error: String, message: String, field: String? = nil, unit: String? = nil, storedRevision: Int? = nil,
                storedDigest: String? = nil) {
        self.error = error
        self.message = message
        self.field = field
        self.unit = unit
        self.storedRevision = storedRevision
        self.storedDigest = storedDigest
    }

    enum CodingKeys: String, CodingKey {
        case error, message, field, unit, storedRevision = "stored_revision", storedDigest = "stored_digest"
    }

    /// Reads a refusal; a missing `message` (a proxy or an older collector) reads as empty, so the
    /// stored revision of a 409 is never lost for want of a sentence.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        error = try c.decode(String.self, forKey: .error)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        field = try c.decodeIfPresent(String.self, forKey: .field)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        storedRevision = try c.decodeIfPresent(Int.self, forKey: .storedRevision)
        storedDigest = try c.decodeIfPresent(String.self, forKey: .storedDigest)
    }
}
