import Foundation
@testable import DutyAgent
import Shared

/// A transport that answers from a script and records what it was sent.
actor ScriptedTransport: SummaryTransport {
    enum Step: Sendable {
        case answer(Int, String, retryAfter: Int? = nil)
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
        let step = script.isEmpty ? .answer(201, #"{"status":"stored"}"#) : script.removeFirst()
        switch step {
        case .answer(let status, let body, let retryAfter):
            return TransportResponse(status: status, retryAfter: retryAfter, body: Data(body.utf8))
        case .fail:
            throw URLError(.cannotConnectToHost)
        }
    }

    var sentDates: [String] { sent.map { "\($0.summary.date) r\($0.summary.revision)" } }
}
