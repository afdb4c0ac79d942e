/// Debounce and the split of one person's punches among their shift instances.
enum PunchAssignment {
    /// Drops every punch within `seconds` (inclusive) of the previous KEPT punch: a burst of swipes
    /// is one punch at the time of its first swipe, and a burst longer than `seconds` keeps one
    /// punch per `seconds`. `punches` are sorted by time.
    static func debounce(_ punches: ArraySlice<PersonPunch>, seconds: Int) -> [PersonPunch] {
        guard punches.count > 1, seconds > 0 else { return Array(punches) }
        var kept: [PersonPunch] = []
        kept.reserveCapacity(punches.count)
        var last = Int64.min
        for p in punches where last == Int64.min || p.time - last > Int64(seconds) {
            kept.append(p)
            last = p.time
        }
        return kept
    }

    /// The punches of each instance (sorted by start): `split[i]` belongs to `instances[i]`.
    ///
    /// A punch in one window belongs to that instance. In the overlap of two windows, a known exit
    /// belongs to the earlier instance, a known entrance to the later one, and a punch of unknown
    /// direction to the earlier one up to and including the boundary (the later of the earlier
    /// shift's end and the later window's start) and to the later one after it. A punch in no
    /// window belongs to none.
    static func split(_ punches: [PersonPunch], among instances: [ShiftInstance]) -> PunchSplit {
        var owner = [Int32](repeating: -1, count: punches.count)
        var counts = [Int](repeating: 0, count: instances.count + 1)
        var low = 0
        for (n, p) in punches.enumerated() {
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
            if chosen >= 0 {
                owner[n] = Int32(chosen)
                counts[chosen + 1] += 1
            }
        }
        // Counting sort: instance i's punches are flat[starts[i]..<starts[i + 1]], still in time order.
        for i in 0..<instances.count { counts[i + 1] += counts[i] }
        var next = counts
        var flat = [PersonPunch](repeating: PersonPunch(index: 0, reader: 0, time: 0, direction: .unknown),
                                 count: counts[instances.count])
        for (n, p) in punches.enumerated() where owner[n] >= 0 {
            let i = Int(owner[n])
            flat[next[i]] = p
            next[i] += 1
        }
        return PunchSplit(flat: flat, starts: counts)
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

/// One person's punches grouped by instance, in one buffer.
struct PunchSplit {
    var flat: [PersonPunch]
    /// Instance `i` owns `flat[starts[i]..<starts[i + 1]]`.
    var starts: [Int]

    subscript(_ instance: Int) -> ArraySlice<PersonPunch> { flat[starts[instance]..<starts[instance + 1]] }
}
