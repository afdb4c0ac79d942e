/// A stretch of time away from the post or the building, between two punches of one instance.
struct AwayInterval: Sendable {
    /// The punch that opened it (a known exit, or a punch at a reader off the shift's posts).
    var from: PersonPunch
    /// The punch that closed it (a known entrance, or a punch at one of the shift's posts).
    var to: PersonPunch
    /// Away seconds inside the (moved) shift, outside breaks and leave.
    var countedSeconds: Int64

    /// The away intervals among `punches[arrival...departure]` of one instance.
    ///
    /// Without posts (work shifts, or duty shifts without `posts`): a known exit opens, the next
    /// known entrance closes. On a duty shift with posts: a known exit or a punch at a reader that
    /// is not one of the posts opens; the next punch at a post reader closes (a known entrance at
    /// another reader does not: the officer is still not at the post). A punch may close one
    /// interval and open the next (an exit at the post reader). A punch that opens while an interval
    /// is open changes nothing (the officer is away since the first). An interval never closed
    /// before the departure is not counted: the rule never guesses where someone went.
    static func find(in punches: ArraySlice<PersonPunch>, arrival: Int, departure: Int, instance: ShiftInstance,
                     readers: [ReaderInfo], measured: Span, excluded: [Span]) -> [AwayInterval] {
        guard arrival < departure else { return [] }
        let posts = instance.shift.kind == .duty ? instance.shift.posts : []
        var open: PersonPunch? = nil
        var result: [AwayInterval] = []
        for i in arrival...departure {
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
                let raw = Span(start: start.time, end: p.time)
                let counted = raw.clipped(to: measured).map { $0.secondsOutside(excluded) } ?? 0
                result.append(AwayInterval(from: start, to: p, countedSeconds: counted))
                open = nil
            }
            if opens && open == nil { open = p }
        }
        return result
    }
}
