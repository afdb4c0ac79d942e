import Foundation
import Logging

/// Figures computed from the store, kept while the data they come from is unchanged: each value is
/// stored with the stamp of the data read before it was computed (from the store's `dataStamp`),
/// and reused only while a new read of that stamp is the same. The stamp is read from the database
/// at every use, so a change made through another collector sharing the database is seen at once;
/// nothing here expires by time.
///
/// When the data changed, a request that may be answered with older figures (`olderAllowed`, a page
/// that says how old its figures are) gets the kept value at once, marked not current, while the
/// value is built again in the background for the next request: agents push summaries all day, and
/// HR should not wait a second for every page after each one. That holds only while the stamp's
/// `decisions` are unchanged: after a review decision or an agent added or revoked, the next
/// request waits for the new value, so whoever acted sees the effect of it.
///
/// Requests that need the same value under the same stamp share one build. Keys name what the value
/// is and everything it depends on besides the stamp (month, scope, business date); a key always
/// holds one type of value.
actor StampedCache {
    /// What a kept value was computed from: `data`, everything it reads, and `decisions`, the part
    /// of it made by people acting through the collector (see `DataStamp`).
    struct Stamp: Equatable, Sendable {
        var data: String
        var decisions: String
    }

    /// A value, and whether it was computed from the current data (false: from older data, the
    /// current value being built).
    struct Answer<T: Sendable>: Sendable {
        var value: T
        var current: Bool
    }

    private struct Entry {
        var stamp: Stamp
        var value: any Sendable
        var used: UInt64
        /// Which build made it: a later build's value is never replaced by an earlier one's.
        var build: UInt64
    }

    private struct Build {
        var stamp: Stamp
        var number: UInt64
        var task: Task<any Sendable, any Error>
    }

    private let capacity: Int
    /// Where a build nobody waits for (one started beside older figures) reports its failure.
    private let logger: Logger
    /// How long a request that may be answered with older figures waits for the current ones.
    private let patience: Duration
    private var entries: [String: Entry] = [:]
    private var running: [String: Build] = [:]
    private var tick: UInt64 = 0
    private var buildNumber: UInt64 = 0
    /// How many values were built, how many reused, and how many of those reused were older than
    /// the data (for the tests).
    private(set) var builds = 0
    private(set) var hits = 0
    private(set) var olderServed = 0
    /// How many requests waited for a build another request had started (for the tests).
    private(set) var shared = 0

    /// Keeps at most `capacity` values, dropping the least recently used.
    /// Long enough for a small organisation's figures, short enough to keep a page under 200 ms.
    static let defaultPatience: Duration = .milliseconds(120)

    init(capacity: Int = 256, patience: Duration = defaultPatience, logger: Logger = Logger(label: "duty-collector")) {
        self.capacity = max(1, capacity)
        self.patience = patience
        self.logger = logger
    }

    /// The value kept for `key` under `stamp` once a build has put it there, waiting at most
    /// `limit` (looking every 5 ms; the actor is free meanwhile); nil after that.
    private func built<T: Sendable>(_ key: String, stamp: Stamp, within limit: Duration) async -> T? {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            if let entry = entries[key], entry.stamp == stamp, let value = entry.value as? T { return value }
            guard running[key] != nil, clock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The value of `key` computed under `stamp`: the kept one when it was computed under the same
    /// stamp; with `olderAllowed`, the kept one of an older stamp with the same decisions (the new
    /// one then built in the background); otherwise `build()`'s, shared with any build of the same
    /// key and stamp under way, and kept for the next use.
    func value<T: Sendable>(for key: String, stamp: Stamp, olderAllowed: Bool = false,
                            build: @escaping @Sendable () async throws -> T) async throws -> Answer<T> {
        tick += 1
        if var entry = entries[key], let value = entry.value as? T {
            if entry.stamp == stamp || (olderAllowed && entry.stamp.decisions == stamp.decisions) {
                entry.used = tick
                entries[key] = entry
                hits += 1
                guard entry.stamp != stamp else { return Answer(value: value, current: true) }
                // One build at a time in the background: while data keeps arriving, a build under
                // way for a slightly older stamp is let finish rather than joined by another.
                if running[key] == nil { _ = start(key, stamp: stamp, background: true, build: build) }
                // A build done within `patience` is worth the wait: the older figures only when it
                // takes longer (a large organisation), never for a small one.
                if let current = await built(key, stamp: stamp, within: patience) as T? {
                    return Answer(value: current, current: true)
                }
                olderServed += 1
                return Answer(value: value, current: false)
            }
        }
        let task: Task<any Sendable, any Error>
        if let underWay = running[key], underWay.stamp == stamp {
            shared += 1
            task = underWay.task
        } else {
            task = start(key, stamp: stamp, build: build)
        }
        guard let value = try await task.value as? T else {
            preconditionFailure("StampedCache: the key \(key) holds values of two types")
        }
        return Answer(value: value, current: true)
    }

    /// Starts building `key` under `stamp`: the value is kept when it is done (unless a build
    /// started later was done first), and the build is forgotten whether it succeeded or not.
    private func start<T: Sendable>(_ key: String, stamp: Stamp, background: Bool = false,
                                    build: @escaping @Sendable () async throws -> T) -> Task<any Sendable, any Error> {
        buildNumber += 1
        let number = buildNumber
        let task = Task<any Sendable, any Error> {
            do {
                let value = try await build()
                self.finish(key, number: number, stamp: stamp, value: value)
                return value
            } catch {
                self.finish(key, number: number, stamp: stamp, value: nil)
                // A request waiting for it reports the error itself; nobody waits for this one,
                // and its page keeps saying the figures are being recounted.
                if background {
                    self.logger.error("figures could not be built", metadata: ["duty.key": "\(key)", "duty.error": "\(error)"])
                }
                throw error
            }
        }
        running[key] = Build(stamp: stamp, number: number, task: task)
        return task
    }

    private func finish(_ key: String, number: UInt64, stamp: Stamp, value: (any Sendable)?) {
        if running[key]?.number == number { running[key] = nil }
        guard let value else { return }
        builds += 1
        if let kept = entries[key], kept.build > number { return }
        tick += 1
        entries[key] = Entry(stamp: stamp, value: value, used: tick, build: number)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }

    /// Waits for the builds under way (for the tests: a value built in the background is kept).
    func settle() async {
        while let build = running.values.first {
            _ = try? await build.task.value
        }
    }
}
