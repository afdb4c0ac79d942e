import Foundation
@testable import DutyAgent
import Shared

/// A transport that answers from a script and records what it was sent.
actor ScriptedTransport: SummaryTransport {
    enum Step: Sendable {
        case answer(Int, String, retryAfter: Int? = nil, location: String? = nil)
        /// The collector's receipt for what was sent, as the real one answers: `201 stored`.
        case receipt
        case fail
    }
    private var script: [Step]
    /// Every body sent (decoded), in order, with the token used.
    private(set) var sent: [(summary: DaySummary, token: String)] = []

    init(_ script: [Step]) { self.script = script }

    nonisolated func send(_ body: Data, token: String) async throws -> TransportResponse {
        try await next(body, token)
    }

    private func next(_ body: Data, _ token: String) throws -> TransportResponse {
        sent.append((try DaySummary.decoder.decode(DaySummary.self, from: body), token))
        let summary = sent[sent.count - 1].summary
        let step = script.isEmpty ? .receipt : script.removeFirst()
        switch step {
        case .answer(let status, let body, let retryAfter, let location):
            return TransportResponse(status: status, retryAfter: retryAfter, location: location, body: Data(body.utf8))
        case .receipt:
            return TransportResponse(status: 201, body: Self.receipt(for: summary))
        case .fail:
            throw URLError(.cannotConnectToHost)
        }
    }

    /// The receipt the collector answers for `summary`, with fields replaced by `changes`.
    static func receipt(for summary: DaySummary, _ changes: [String: Any] = [:]) -> Data {
        var fields: [String: Any] = ["status": "stored", "agent": summary.agent, "date": summary.date.description,
                                     "revision": summary.revision, "digest": summary.digest]
        fields.merge(changes) { _, new in new }
        return try! JSONSerialization.data(withJSONObject: fields)
    }

    var sentDates: [String] { sent.map { "\($0.summary.date) r\($0.summary.revision)" } }
}
