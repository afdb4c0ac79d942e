/// Debounce and the split of one person's punches among their shift instances.
enum PunchAssignment {
    /// Drops every punch within `seconds` (inclusive) of the previous KEPT punch: a burst of swipes
    /// is one punch at the time of its first swipe, and a burst longer than `seconds` keeps one
    /// punch per `seconds`. `punches` are sorted by time.
    static func debounce(_ punches: [PersonPunch], seconds: Int) -> [PersonPunch] {
        guard punches.count > 1, seconds > 0 else { return punches }
        var kept: [PersonPunch] = []
        kept.reserveCapacity(punches.count)
        var last = Int64.min
        for p in punches where last == Int64.min || p.time - last > Int64(seconds) {
            kept.append(p)
            last = p.time
        }
        return kept
    }

    /// The punches of each instance: `result[i]` belongs to `instances[i]` (sorted by start).
    ///
    /// A punch in one window belongs to that instance. In the overlap of two windows, a known exit
    /// belongs to the earlier instance, a known entrance to the later one, and a punch of unknown
    /// direction to the earlier one up to and including the boundary (the later of the earlier
    /// shift's end and the later window's start) and to the later one after it. A punch in no
    /// window belongs to none.
    static func split(_ punches: [PersonPunch], among instances: [ShiftInstance]) -> [[PersonPunch]] {
        var result = Array(repeating: [PersonPunch](), count: instances.count)
        guard !instances.isEmpty else { return result }
        var low = 0
        for p in punches {
            let t = p.time
            while low < instances.count && instances[low].windowEnd < t { low += 1 }
            var chosen = -1
            var j = low
            while j < instances.count && instances[j].windowStart <= t {
                if instances[j].windowContains(t) {
                    chosen = chosen < 0 ? j : resolve(p, earlier: instances[chosen], chosen, later: instances[j], j)
                }
                j += 1
            }
            if chosen >= 0 { result[chosen].append(p) }
        }
        return result
    }

    /// Which of two instances whose windows both hold `p` it belongs to.
    private static func resolve(_ p: PersonPunch, earlier: ShiftInstance, _ e: Int, later: ShiftInstance, _ l: Int) -> Int {
        switch p.direction {
        case .exit: return e
        case .entrance: return l
        case .unknown: return p.time <= max(earlier.end, later.windowStart) ? e : l
        }
    }
}
