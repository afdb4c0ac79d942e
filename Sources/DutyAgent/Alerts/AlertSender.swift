import Foundation
import Logging
import Shared

/// Sends one target's queue in order: the first waiting alert until the vendor says success, then
/// the next. Failures back off (full jitter, up to `retryCap`); a rate-limit answer waits at least
/// what the vendor asked (60 s without a `Retry-After`); sends never exceed `per_minute`.
actor AlertSender {
    /// What one step did.
    enum Step: Equatable, Sendable {
        case idle
        case sent(String)
        /// Nothing sent; wait this many seconds before the next step.
        case wait(TimeInterval)
    }

    let target: AlertTarget
    let queue: AlertQueue
    let transport: any AlertTransport
    let language: Language
    let logger: Logger
    let now: @Sendable () -> Date
    private var window: RateWindow
    private var backoff: Backoff
    private(set) var state: AlertTargetState

    init(target: AlertTarget, queue: AlertQueue, transport: any AlertTransport, language: Language, logger: Logger,
         retryCap: Double = 300, now: @escaping @Sendable () -> Date = { Date() }, uniform: (@Sendable (Double) -> Double)? = nil) {
        self.target = target
        self.queue = queue
        self.transport = transport
        self.language = language
        self.logger = logger
        self.now = now
        backoff = uniform.map { Backoff(base: 1, cap: retryCap, uniform: $0) } ?? Backoff(base: 1, cap: retryCap)
        // Sends of the last minute before a restart still count against the limit.
        let sent = queue.folder.appendingPathComponent(target.queueKey).appendingPathComponent("sent")
        let recent = AlertQueue.names(sent).suffix(max(1, target.perMinute)).compactMap {
            (try? FileManager.default.attributesOfItem(atPath: sent.appendingPathComponent($0).path))?[.modificationDate] as? Date
        }
        window = RateWindow(perMinute: target.perMinute, sent: recent)
        state = Self.readState(queue.folder, target) ?? AlertTargetState(target: target.name, kind: target.kind.rawValue)
    }

    /// Tries the first waiting alert once.
    func step() async -> Step {
        guard let item = await queue.first(for: target) else { return .idle }
        let t = now()
        let wait = window.wait(at: t)
        if wait > 0 { return .wait(wait) }
        let secret = target.secretFile.flatMap { FileManager.default.contents(atPath: $0.path) }
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        let message = AlertMessage.build(item.entry.alert, for: target, secret: secret, language: language, now: t)
        window.record(t)
        let answer: AlertAnswer
        do {
            let response = try await transport.post(message, target: target)
            answer = AlertAnswer.of(target.kind, status: response.status, retryAfter: response.retryAfter, body: response.body)
        } catch {
            answer = .failed("no answer: \(error)")
        }
        switch answer {
        case .delivered:
            do {
                try await queue.markSent(item, for: target)
            } catch {
                logger.error("alert sent but not marked sent", metadata: ["duty.error": "\(error)"])
                return .wait(1)
            }
            backoff.reset()
            state.lastSuccess = now()
            state.failures = 0
            saveState()
            logger.info("alert sent", metadata: ["duty.alert.id": "\(item.entry.alert.id)", "duty.target": "\(target.name)"])
            return .sent(item.entry.alert.id)
        case .rateLimited(let seconds):
            fail("rate limited by the vendor; waiting \(seconds) s")
            return .wait(max(Double(seconds), backoff.next()))
        case .failed(let reason):
            fail(reason)
            return .wait(backoff.next())
        }
    }

    /// Steps until cancelled; `wake` ends an idle wait early (new alerts were queued).
    func forever(idle: TimeInterval, wake: Wake) async {
        while !Task.isCancelled {
            let step = await step()
            switch step {
            case .sent: continue
            case .idle: await wake.wait(upTo: idle)
            case .wait(let seconds):
                do { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) } catch { return }
            }
        }
    }

    private func fail(_ reason: String) {
        state.lastFailure = now()
        state.lastError = reason
        state.failures += 1
        saveState()
        logger.warning("alert not delivered", metadata: ["duty.target": "\(target.name)", "duty.error": "\(reason)"])
    }

    private func saveState() {
        let file = queue.folder.appendingPathComponent(target.queueKey).appendingPathComponent("state.json")
        if let data = try? AlertQueue.encoder.encode(state) { try? DurableFile.write(data, to: file) }
    }

    static func readState(_ folder: URL, _ target: AlertTarget) -> AlertTargetState? {
        let file = folder.appendingPathComponent(target.queueKey).appendingPathComponent("state.json")
        return FileManager.default.contents(atPath: file.path).flatMap { try? AlertQueue.decoder.decode(AlertTargetState.self, from: $0) }
    }
}
