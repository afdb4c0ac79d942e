/// A stretch of time away from the post or the building, between two punches of one instance.
struct AwayInterval: Sendable {
    /// The punch that opened it (a known exit, or a punch at a reader off the shift's posts).
    var from: PersonPunch
    /// The punch that closed it (a known entrance, or a punch at one of the shift's posts).
    var to: PersonPunch
    /// Away seconds inside the (moved) shift, outside breaks and leave.
    var countedSeconds: Int64
    /// No entrance (or post punch) closed it before the departure: `to` is the departure, and the
    /// badges do not show when the person came back.
    var suspected: Bool = false

    /// The away intervals among `punches[arrival...departure]` of one instance.
    ///
    /// Without posts (work shifts, or duty shifts without `posts`): a known exit opens, the next
    /// known entrance closes. On a duty shift with posts: a known exit or a punch at a reader that
    /// is not one of the posts opens; the next punch at a post reader closes (a known entrance at
    /// another reader does not: the officer is still not at the post). A punch may close one
    /// interval and open the next (an exit at the post reader). A punch that opens while an interval
    /// is open changes nothing (the officer is away since the first). The departure closes
    /// nothing: an interval still open when it comes runs to the departure and is `suspected`.
    static func find(in punches: ArraySlice<PersonPunch>, arrival: Int, departure: Int, shift: Shift,
                     readers: [ReaderInfo], measured: Span, excluded: [Span],
                     clock: ZoneClock = .fixed) -> [AwayInterval] {
        guard arrival < departure else { return [] }
        func counted(_ from: Int64, _ to: Int64) -> Int64 {
            Span(start: from, end: to).clipped(to: measured).map { clock.elapsedOutside($0, excluded) } ?? 0
        }
        let (closed, open) = walk(punches, arrival..<departure, shift: shift, readers: readers)
        var result = closed.map { AwayInterval(from: $0.from, to: $0.to, countedSeconds: counted($0.from.time, $0.to.time)) }
        if let start = open {
            let d = punches[departure]
            result.append(AwayInterval(from: start, to: d, countedSeconds: counted(start.time, d.time), suspected: true))
        }
        return result
    }

    /// The walk both the day's judging (`find`) and the live duty alerts (`DutyWatch`) share: the
    /// punches `range` of one instance, opening and closing as `find` describes. Returns the closed
    /// intervals and the punch that opened the one still open at the end of `range`, if any.
    static func walk(_ punches: ArraySlice<PersonPunch>, _ range: Range<Int>, shift: Shift,
                     readers: [ReaderInfo]) -> (closed: [(from: PersonPunch, to: PersonPunch)], open: PersonPunch?) {
        let posts = shift.kind == .duty ? shift.posts : []
        var open: PersonPunch? = nil
        var closed: [(from: PersonPunch, to: PersonPunch)] = []
        for i in range {
            let p = punches[i]
            let closes: Bool
            let opens: Bool
            if posts.isEmpty {
                closes = p.direction == .entrance
                opens = p.direction == .exit
            } else {
                let atPost = readers[Int(p.reader)].post.map { posts.contains($0) } ?? false
                closes = atPost
                opens = p.direction == .exit || !atPost
            }
            if closes, let start = open {
                closed.append((start, p))
                open = nil
            }
            if opens && open == nil { open = p }
        }
        return (closed, open)
    }
}
