import Foundation
import Logging
import Shared

/// Sends spooled summaries to the collector, oldest date first, and acts on each answer:
///
/// - 2xx (201 stored, 200 unchanged repeat) whose receipt names this summary's agent, date, revision
///   and digest: acknowledged, the file removed; any other 2xx is not an acknowledgement (retried);
/// - 3xx: never followed (the token goes to the configured address only); retried, the log and
///   status saying where it pointed;
/// - 409 with the stored revision: the same digest counts as acknowledged, another one is written
///   again as the revision after the stored one and sent (the agent lost its state, or a newer
///   revision came from elsewhere);
/// - network errors, TLS failures (a certificate that does not verify), 5xx, 408 and 429: retried
///   later (`Retry-After` honoured by the caller);
/// - 401: the token is refused; sending stops until the token changes, the data stays in the spool;
/// - 400 `unsupported_schema` to a summary carrying `day_punches` (version 3; a collector older than
///   them): the same revision is sent at once without them (version 2 or 1, its own digest; the
///   receipt is checked against what was sent) and the collector is remembered as older for a day
///   (`CollectorSchemaMemory`), said once at notice level;
/// - 413 to a summary carrying `day_punches`, or a 400 naming a field of them: that summary is sent
///   again without them (the anomalies and figures matter more than the punches around them);
/// - any other 4xx (400, 403, 413, …): the summary is set aside in `rejected/` with the reason.
struct SummarySender: Sendable {
    /// What became of one attempt.
    enum Attempt: Equatable, Sendable {
        case delivered
        case setAside(String)
        /// Try again later; `retryAfter` seconds when the collector said so.
        case retry(retryAfter: Int?, reason: String)
        /// Sending cannot go on (token refused or missing); the reason says why.
        case blocked(String)
        /// The file did not read back: set aside, its date will be derived again.
        case corrupt
    }

    let spool: Spool
    let transport: any SummaryTransport
    let tokens: TokenSource
    let logger: Logger
    var now: @Sendable () -> Date = { Date() }
    /// Whether the collector refused version 3 lately: shared by every attempt of this sender.
    var schemaMemory = CollectorSchemaMemory()

    /// Sends `item` once (plus re-sends after a 409 renumbering) and records the outcome in the spool.
    func attempt(_ item: SpooledSummary) async -> Attempt {
        var item = item
        var tooLarge = false
        // Three sends for 409 renumberings; a resend without day punches (at most one: it carries
        // none) does not use one up.
        var sendsLeft = 3
        while sendsLeft > 0 {
            sendsLeft -= 1
            guard let spooled = await spool.load(item) else { return .corrupt }
            let older = await schemaMemory.collectorIsOlder(at: now())
            let summary = older || tooLarge ? spooled.withoutDayPunches() : spooled
            let token: String
            do { token = try tokens.token() } catch {
                await spool.noteBlocked(error.description)
                return .blocked(error.description)
            }
            let response: TransportResponse
            do {
                response = try await transport.send(Spool.encode(summary), token: token)
            } catch let error as TransportError {
                // A certificate that does not verify: said as it is, retried like a network error.
                let reason = "\(error)"
                await spool.noteFailure(reason)
                logger.error("TLS failure: nothing sent", metadata: meta(item, ["duty.error": "\(reason)"]))
                return .retry(retryAfter: nil, reason: reason)
            } catch {
                let reason = "cannot reach the collector: \(Self.describe(error))"
                await spool.noteFailure(reason)
                logger.warning("collector unreachable", metadata: meta(item, ["duty.error": "\(Self.describe(error))"]))
                return .retry(retryAfter: nil, reason: reason)
            }
            do {
                switch try await handle(response, item: item, spooled: spooled, sent: summary) {
                case .done(let outcome): return outcome
                case .resend(let renumbered): item = renumbered
                case .again: sendsLeft += 1
                case .tooLarge: tooLarge = true; sendsLeft += 1
                }
            } catch {
                logger.error("spool update failed", metadata: meta(item, ["duty.error": "\(error)"]))
                return .retry(retryAfter: nil, reason: "the spool could not be updated: \(error)")
            }
        }
        return .retry(retryAfter: nil, reason: "the collector keeps answering 409 for \(item.date)")
    }

    /// `again`: send the same item once more (now without day punches, the collector being older);
    /// `tooLarge`: the same, for this item only (its day punches took it past the body limit, or
    /// the collector refused them).
    private enum Step { case done(Attempt), resend(SpooledSummary), again, tooLarge }

    /// Acts on the answer to `sent`, which is `spooled` or `spooled` without its day punches: the
    /// receipt must name what was sent, the spool records the digest of what it holds.
    private func handle(_ response: TransportResponse, item: SpooledSummary, spooled: DaySummary,
                        sent summary: DaySummary) async throws(SpoolError) -> Step {
        let answer = CollectorAnswer(response.body)
        let status = response.status
        switch status {
        case 200..<300:
            guard answer.acknowledges(summary) else {
                let reason = "the collector answered \(status) but not with a receipt for \(summary.agent) \(item.date) "
                    + "r\(item.revision) digest \(summary.digest.prefix(12))…; not taken as an acknowledgement, kept in the spool"
                await spool.noteAnswer(at: now(), result: "\(status) without a matching receipt \(item.date) r\(item.revision)")
                await spool.noteFailure(reason)
                logger.error("answer is not an acknowledgement", metadata: meta(item, ["duty.status": "\(status)"]))
                return .done(.retry(retryAfter: response.retryAfter, reason: reason))
            }
            try await spool.acknowledge(item, digest: spooled.digest, at: now(),
                                        result: "\(status) \(answer.status ?? "ok") \(item.date) r\(item.revision)")
            await spool.noteBlocked(nil)
            return .done(.delivered)
        case 409:
            guard let stored = answer.storedRevision else { break }
            // The collector may hold this revision in either form (with or without the day's
            // punches, e.g. sent to it while it was older): either is this day, not another.
            if answer.storedDigest == summary.digest || answer.storedDigest == spooled.digest {
                try await spool.acknowledge(item, digest: spooled.digest, at: now(),
                                            result: "409 already stored \(item.date) r\(stored)", revision: stored)
                return .done(.delivered)
            }
            await spool.noteAnswer(at: now(), result: "409 \(item.date) stored r\(stored)")
            return .resend(try await spool.renumber(item, spooled, above: max(stored, item.revision)))
        case 300..<400:
            let target = response.location.map { " to \($0)" } ?? ""
            let reason = "the collector answered \(status), a redirect\(target); the agent does not follow redirects "
                + "(the token goes to [collector] url only): set url to the collector's own address"
            await spool.noteAnswer(at: now(), result: "\(status) redirect \(item.date) r\(item.revision)")
            await spool.noteFailure(reason)
            logger.error("redirect not followed", metadata: meta(item, ["duty.status": "\(status)", "duty.location": "\(response.location ?? "")"]))
            return .done(.retry(retryAfter: response.retryAfter, reason: reason))
        case 408, 429, 500...:
            let reason = "the collector answered \(status)\(answer.sentence)"
            await spool.noteAnswer(at: now(), result: "\(status) \(item.date) r\(item.revision)")
            await spool.noteFailure(reason)
            logger.warning("collector busy or failing", metadata: meta(item, ["duty.status": "\(status)"]))
            return .done(.retry(retryAfter: response.retryAfter, reason: reason))
        case 401:
            let reason = "the collector refused the agent's token (401\(answer.sentence)); "
                + "summaries stay in the spool until a valid token is installed"
            await spool.noteAnswer(at: now(), result: "401 \(item.date) r\(item.revision)")
            await spool.noteBlocked(reason)
            logger.error("token refused by the collector", metadata: meta(item, ["duty.status": "401"]))
            return .done(.blocked(reason))
        case 400 where answer.error == "unsupported_schema" && !summary.dayPunches.isEmpty:
            await spool.noteAnswer(at: now(), result: "400 unsupported_schema \(item.date) r\(item.revision)")
            if await schemaMemory.noteOlder(at: now()) {
                logger.notice("the collector reads only day summaries of version 2 or older: sending them without every punch of the day; upgrade the collector to show every punch on its anomaly pages",
                              metadata: meta(item, ["duty.schema": "\(summary.schema)"]))
            }
            return .again
        case 413 where !summary.dayPunches.isEmpty:
            await spool.noteAnswer(at: now(), result: "413 \(item.date) r\(item.revision)")
            logger.notice("summary too large for the collector with every punch of the day: sending it without them; raise [server] max_body_kb to show them",
                          metadata: meta(item, ["duty.status": "413"]))
            return .tooLarge
        case 400 where answer.field?.hasPrefix("day_punches") == true && !summary.dayPunches.isEmpty:
            // The day's punches are context, the anomalies and figures the record: never set a day
            // aside for its punches.
            await spool.noteAnswer(at: now(), result: "400 \(answer.field ?? "") \(item.date) r\(item.revision)")
            logger.warning("the collector refused the day's punches: sending the summary without them",
                           metadata: meta(item, ["duty.status": "400", "duty.reason": "\(answer.sentence)"]))
            return .tooLarge
        case 400..<500:
            let reason = "the collector refused \(item.date) r\(item.revision) with \(status)\(answer.sentence)"
            try await spool.setAside(item, reason: reason, at: now())
            return .done(.setAside(reason))
        default:
            break
        }
        let reason = "unexpected answer \(status) from the collector\(answer.sentence)"
        await spool.noteFailure(reason)
        return .done(.retry(retryAfter: response.retryAfter, reason: reason))
    }

    private func meta(_ item: SpooledSummary, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        extra.merging(["duty.date": "\(item.date)", "duty.revision": "\(item.revision)"]) { a, _ in a }
    }

    /// A network error as a short sentence.
    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        return ns.localizedDescription.isEmpty ? "\(error)" : "\(ns.localizedDescription) (\(ns.domain) \(ns.code))"
    }
}

/// The parts of a collector's answer the agent uses: a `SummaryReceipt`
/// (`{"status":"stored","agent":…,"date":…,"revision":…,"digest":…}`) or an `APIRefusal`
/// (`{"error":"stale_revision","message":…,"stored_revision":3,…}`), the wire types `Shared`
/// defines for both programs.
struct CollectorAnswer {
    var receipt: SummaryReceipt?
    var error: String?
    var message: String?
    /// The field a refusal names (`day_punches[0].person`).
    var field: String?
    var storedRevision: Int?
    var storedDigest: String?

    /// The receipt's status (`stored`, `unchanged`), if the answer is a receipt.
    var status: String? { receipt?.status.rawValue }

    /// Whether this is the collector's receipt for `summary`: its agent, date, revision and digest.
    /// Anything else (a proxy's 200, a receipt for another summary) acknowledges nothing.
    func acknowledges(_ summary: DaySummary) -> Bool {
        guard let receipt else { return false }
        return receipt.agent == summary.agent && receipt.date == summary.date && receipt.revision == summary.revision
            && receipt.digest == summary.digest
    }

    /// Decodes leniently: an answer that is neither leaves every field nil, keeping a short body
    /// (a proxy's text) as the message.
    init(_ body: Data) {
        let decoder = DaySummary.decoder
        if let receipt = try? decoder.decode(SummaryReceipt.self, from: body) {
            self.receipt = receipt
        } else if let refusal = try? decoder.decode(APIRefusal.self, from: body) {
            error = refusal.error
            message = refusal.message
            field = refusal.field
            storedRevision = refusal.storedRevision
            storedDigest = refusal.storedDigest
        } else if !body.isEmpty, body.count < 300 {
            message = String(data: body, encoding: .utf8)
        }
    }

    /// `: <error>: <message>` or empty.
    var sentence: String {
        let parts = [error, message].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ": ")
    }
}
