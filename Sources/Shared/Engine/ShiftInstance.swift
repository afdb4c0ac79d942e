/// A half-open stretch of local time `[start, end)` in seconds since 1970-01-01 local.
struct Span: Hashable, Sendable {
    var start: Int64
    var end: Int64

    var seconds: Int64 { max(0, end - start) }

    /// The part of `self` inside `other`, or nil when they do not overlap.
    func clipped(to other: Span) -> Span? {
        let s = max(start, other.start), e = min(end, other.end)
        return s < e ? Span(start: s, end: e) : nil
    }

    /// The spans merged into disjoint, sorted spans.
    static func union(_ spans: [Span]) -> [Span] {
        guard spans.count > 1 else { return spans.filter { $0.start < $0.end } }
        var merged: [Span] = []
        for s in spans.sorted(by: { $0.start < $1.start }) where s.start < s.end {
            if let last = merged.last, s.start <= last.end {
                merged[merged.count - 1].end = max(last.end, s.end)
            } else {
                merged.append(s)
            }
        }
        return merged
    }

    /// Seconds of `self` not covered by `cover` (disjoint, sorted spans from `union`).
    func secondsOutside(_ cover: [Span]) -> Int64 {
        var covered: Int64 = 0
        for c in cover {
            if c.start >= end { break }
            if let part = clipped(to: c) { covered += part.seconds }
        }
        return seconds - covered
    }
}

/// One person's shift on one business date: the unit every rule judges.
struct ShiftInstance: Sendable {
    /// Index into `AttendanceInput.people`.
    var person: Int
    /// The business date: the date the shift starts.
    var date: CivilDate
    var shift: Shift
    /// Scheduled start and end, seconds since 1970-01-01 local.
    var start: Int64
    var end: Int64
    /// The punch window `[start - check_in_early, end + check_out_late]`, both ends inclusive.
    var windowStart: Int64
    var windowEnd: Int64
    /// The shift's breaks as local times, clipped to the shift, disjoint and sorted.
    var breaks: [Span]
    /// Whether the business date is one the run was asked to judge (others only claim punches).
    var inRange: Bool

    init(person: Int, date: CivilDate, shift: Shift, inRange: Bool) {
        self.person = person
        self.date = date
        self.shift = shift
        self.inRange = inRange
        let midnight = Int64(date.dayNumber) * 86_400
        let startMinutes = shift.start.minutes
        let endMinutes = shift.crossesMidnight ? shift.end.minutes + 1440 : shift.end.minutes
        start = midnight + Int64(startMinutes) * 60
        end = midnight + Int64(endMinutes) * 60
        windowStart = start - Int64(shift.rules.checkInEarly) * 60
        windowEnd = end + Int64(shift.rules.checkOutLate) * 60
        let whole = Span(start: start, end: end)
        var spans: [Span] = []
        for b in shift.breaks {
            // On a shift across midnight, a break written before the shift's start is on the next day.
            var bs = b.start.minutes
            if shift.crossesMidnight && bs < startMinutes { bs += 1440 }
            var be = b.end.minutes + (bs - b.start.minutes)
            if b.end <= b.start { be += 1440 }
            let span = Span(start: midnight + Int64(bs) * 60, end: midnight + Int64(be) * 60)
            if let inside = span.clipped(to: whole) { spans.append(inside) }
        }
        breaks = Span.union(spans)
    }

    var scheduled: Span { Span(start: start, end: end) }

    /// Whether `t` lies in the punch window.
    func windowContains(_ t: Int64) -> Bool { t >= windowStart && t <= windowEnd }

    var startTime: LocalDateTime { LocalDateTime(seconds: start) }
}

/// Whole minutes from seconds, rounded up (301 s is 6 minutes).
@inline(__always)
func minutesRoundedUp(_ seconds: Int64) -> Int {
    seconds <= 0 ? 0 : Int((seconds + 59) / 60)
}
