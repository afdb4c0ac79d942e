import Foundation

/// Real elapsed time between wall-clock times of the site's zone.
///
/// The engine keeps times as local wall-clock seconds; where the zone changes its offset (daylight
/// saving) inside the judged dates, a duration is the difference of the real instants: a night shift
/// 20:00–08:00 across the autumn change lasts 13 hours, across the spring change 11. A zone without
/// changes in the range (Asia/Shanghai) keeps the plain difference, at no cost.
struct ZoneClock: Sendable {
    /// An offset change: at UTC instant `utc` the offset goes from `before` to `after` (seconds east of UTC).
    struct Change: Sendable {
        var utc: Int64
        var before: Int64
        var after: Int64
    }
    private(set) var changes: [Change]

    /// No offset change: durations are wall-clock differences.
    static let fixed = ZoneClock(changes: [])

    init(changes: [Change]) { self.changes = changes }

    /// The changes of zone `identifier` from two days before `first` to three days after `last`;
    /// an unknown zone has none (configuration validation reports it).
    init(identifier: String, first: CivilDate, last: CivilDate) {
        guard let zone = TimeZone(identifier: identifier) else {
            self.init(changes: [])
            return
        }
        // Day by day (a few dozen look-ups for a month; offsets never change twice in a day), then
        // to the second where the offset differs: independent of how the platform reports transitions.
        let start = Int64(first.dayNumber - 2) * 86_400 - 86_400
        let end = Int64(last.dayNumber + 4) * 86_400
        var found: [Change] = []
        var t = start
        var offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
        while t < end {
            let next = t + 86_400
            let o = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(next))))
            if o != offset {
                var low = t, high = next  // offset(low) == old, offset(high) == new
                while high - low > 1 {
                    let mid = (low + high) / 2
                    if Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(mid)))) == offset {
                        low = mid
                    } else {
                        high = mid
                    }
                }
                found.append(Change(utc: high, before: offset, after: o))
                offset = o
            }
            t = next
        }
        self.init(changes: found)
    }

    /// The zone's offset at local time `t`. A wall-clock time repeated by the autumn change is taken
    /// at its first occurrence; one skipped by the spring change, with the new offset.
    func offset(_ t: Int64) -> Int64 {
        var current: Int64 = changes.first?.before ?? 0
        for c in changes {
            if t - c.before < c.utc { return c.before }
            current = c.after
        }
        return current
    }

    /// Real seconds from local time `a` to local time `b`.
    @inline(__always)
    func elapsed(_ a: Int64, _ b: Int64) -> Int64 {
        if changes.isEmpty { return b - a }
        return max(0, (b - offset(b)) - (a - offset(a)))
    }

    /// Real seconds of `span` outside `cover` (disjoint, sorted spans).
    func elapsedOutside(_ span: Span, _ cover: [Span]) -> Int64 {
        if changes.isEmpty { return span.secondsOutside(cover) }
        var total: Int64 = 0
        var cursor = span.start
        for c in cover {
            if c.start >= span.end { break }
            if c.end <= cursor { continue }
            if c.start > cursor { total += elapsed(cursor, min(c.start, span.end)) }
            cursor = max(cursor, c.end)
        }
        if cursor < span.end { total += elapsed(cursor, span.end) }
        return total
    }
}
