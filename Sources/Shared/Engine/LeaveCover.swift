/// How a person's approved leaves cover one shift instance.
struct LeaveCover: Sendable {
    /// The whole instance is excused; `reason` is the leave's kind.
    var whole: Bool
    var reason: String?
    /// The start and end lateness and early leave are measured against (moved by partial leave).
    var start: Int64
    var end: Int64
    /// The leave time inside the instance, disjoint and sorted: not away, not scheduled.
    var spans: [Span]

    /// The cover of `instance` by `leaves` (one person's leaves).
    ///
    /// Whole: a whole-date leave covering the business date, or timed leaves that together cover
    /// the scheduled start to end. Otherwise leave time covering the start moves the start to its
    /// end, leave time covering the end moves the end to its start, and any leave time inside the
    /// shift is kept in `spans`.
    init(_ instance: ShiftInstance, leaves: [Leave]) {
        whole = false
        reason = nil
        start = instance.start
        end = instance.end
        spans = []
        guard !leaves.isEmpty else { return }
        let midnight = Int64(instance.date.dayNumber) * 86_400
        var parts: [(span: Span, kind: String)] = []
        for l in leaves {
            if l.wholeDays && l.start.seconds <= midnight && midnight < l.end.seconds {
                whole = true
                reason = l.kind
                spans = [instance.scheduled]
                return
            }
            if let inside = Span(start: l.start.seconds, end: l.end.seconds).clipped(to: instance.scheduled) {
                parts.append((inside, l.kind))
            }
        }
        guard !parts.isEmpty else { return }
        spans = Span.union(parts.map(\.span))
        if let first = spans.first, first.start <= start { start = first.end }
        if let last = spans.last, last.end >= end { end = last.start }
        if start >= end {
            whole = true
            reason = parts.first { $0.span.start <= instance.start }?.kind ?? parts[0].kind
        }
    }
}
