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

/// A shift definition with its times worked out once, shared by all of its instances.
final class ShiftTemplate: Sendable {
    let shift: Shift
    /// Start and end in seconds after the business date's midnight (the end may be past 24:00).
    let startOffset: Int64
    let endOffset: Int64
    /// The breaks in seconds after the business date's midnight, clipped to the shift, disjoint, sorted.
    let breakOffsets: [Span]

    init(_ shift: Shift) {
        self.shift = shift
        let startMinutes = shift.start.minutes
        startOffset = Int64(startMinutes) * 60
        endOffset = Int64(shift.crossesMidnight ? shift.end.minutes + 1440 : shift.end.minutes) * 60
        let whole = Span(start: startOffset, end: endOffset)
        var spans: [Span] = []
        for b in shift.breaks {
            // On a shift across midnight, a break written before the shift's start is on the next day.
            var bs = b.start.minutes
            if shift.crossesMidnight && bs < startMinutes { bs += 1440 }
            var be = b.end.minutes + (bs - b.start.minutes)
            if b.end <= b.start { be += 1440 }
            if let inside = Span(start: Int64(bs) * 60, end: Int64(be) * 60).clipped(to: whole) { spans.append(inside) }
        }
        breakOffsets = Span.union(spans)
    }
}

/// The shift templates of one input, one per shift code in code order. A `ShiftInstance` names
/// its template by index here: millions of instances are made and copied, and a reference would
/// be counted at every copy. Every table built from one input's shifts numbers them alike.
struct ShiftTemplates: Sendable {
    let all: [ShiftTemplate]
    /// Each code's index in `all`.
    let index: [String: Int32]

    init(_ shifts: [String: Shift]) {
        let codes = shifts.keys.sorted()
        all = codes.map { ShiftTemplate(shifts[$0]!) }
        index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, Int32($0)) })
    }

    /// The template of `instance`.
    subscript(_ instance: ShiftInstance) -> ShiftTemplate { all[Int(instance.template)] }

    /// The shift of `instance`.
    func shift(of instance: ShiftInstance) -> Shift { all[Int(instance.template)].shift }

    /// The breaks of `instance` as local times, clipped to the shift, disjoint and sorted.
    func breaks(of instance: ShiftInstance) -> [Span] {
        let midnight = Int64(instance.date.dayNumber) * 86_400
        return self[instance].breakOffsets.map { Span(start: $0.start + midnight, end: $0.end + midnight) }
    }
}

/// One person's shift on one business date: the unit every rule judges. Its shift is read through
/// the `ShiftTemplates` that planned it (`templates.shift(of: instance)`).
struct ShiftInstance: Sendable {
    /// Index into `AttendanceInput.people`.
    var person: Int
    /// The business date: the date the shift starts.
    var date: CivilDate
    /// Index of the shift's template in the `ShiftTemplates` that planned the instance.
    let template: Int32
    /// Scheduled start and end, seconds since 1970-01-01 local.
    var start: Int64
    var end: Int64
    /// The punch window `[start - check_in_early, end + check_out_late]`, both ends inclusive.
    var windowStart: Int64
    var windowEnd: Int64
    /// Whether the business date is one the run was asked to judge (others only claim punches).
    var inRange: Bool
    /// Which unit the person belongs to on the business date: 0 for the people file's, k for the
    /// unit of their k-th transfer in date order (an index, so that an instance holds no reference
    /// to count: millions of them are made and copied).
    var period: Int32

    /// The instance of `templates.all[template]`.
    init(person: Int, date: CivilDate, template: Int32, of templates: ShiftTemplates, inRange: Bool, period: Int32 = 0) {
        self.person = person
        self.date = date
        self.template = template
        self.inRange = inRange
        self.period = period
        let t = templates.all[Int(template)]
        let midnight = Int64(date.dayNumber) * 86_400
        start = midnight + t.startOffset
        end = midnight + t.endOffset
        windowStart = start - t.shift.rules.seconds(\.checkInEarly)
        windowEnd = end + t.shift.rules.seconds(\.checkOutLate)
    }

    /// The unit of the business date: the people file's, or that of the transfer `period` names
    /// among `moves` (the person's transfers in date order).
    func unit(of person: Person, moves: [Transfer]) -> UnitPath {
        period == 0 || Int(period) > moves.count ? person.unit : moves[Int(period) - 1].unit
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
