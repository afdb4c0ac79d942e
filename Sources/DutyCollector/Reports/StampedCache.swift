import Foundation

/// Figures computed from the store, kept while the data they come from is unchanged: each value is
/// stored with the store's `dataStamp` read before it was computed, and reused only while a new
/// read of that stamp gives the same text. The stamp is read from the database at every use, so a
/// change made through another collector sharing the database is seen at once; nothing here
/// expires by time.
///
/// Keys name what the value is and everything it depends on besides the stamp (month, scope,
/// business date); a key always holds one type of value.
actor StampedCache {
    private struct Entry {
        var stamp: String
        var value: any Sendable
        var used: UInt64
    }

    private let capacity: Int
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0
    /// How many values were computed and how many reused (for the tests).
    private(set) var builds = 0
    private(set) var hits = 0

    /// Keeps at most `capacity` values, dropping the least recently used.
    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The value of `key` computed under `stamp`: the kept one when it was computed under the same
    /// stamp, otherwise `build()`'s (kept for the next use).
    func value<T: Sendable>(for key: String, stamp: String, build: @Sendable () async throws -> T) async throws -> T {
        tick += 1
        if var entry = entries[key], entry.stamp == stamp, let value = entry.value as? T {
            entry.used = tick
            entries[key] = entry
            hits += 1
            return value
        }
        let value = try await build()
        builds += 1
        tick += 1
        entries[key] = Entry(stamp: stamp, value: value, used: tick)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        return value
    }
}
