import Shared

/// The whole site has recorded no punch for more than a day: an export that stopped, a reader
/// folder no longer copied. `status` and the daemon's log say so loudly, with the last punch,
/// because the rules alone would only leave the dates pending (or, once `--to` says the data is
/// complete, report them as `reader_silent`), which nobody reads as "the exports stopped".
struct SiteSilence: Equatable, Sendable, Codable {
    /// The last plausible punch of any reader (not after `now`); nil when no file holds one.
    var lastPunch: LocalDateTime?
    /// Whole hours from the last punch to `now`.
    var hours: Int

    /// How long the site may be silent before it is reported: a day.
    static let limitSeconds: Int64 = 86_400

    enum CodingKeys: String, CodingKey { case lastPunch = "last_punch", hours }

    /// The silence of `office` at `now` (site-local), or nil when some reader punched within a day.
    static func of(_ office: Office, now: LocalDateTime) -> SiteSilence? {
        var last: LocalDateTime?
        for p in office.input.punches where p.time <= now {
            if last.map({ p.time > $0 }) ?? true { last = p.time }
        }
        guard let last else { return SiteSilence(lastPunch: nil, hours: 0) }
        let gap = now.seconds - last.seconds
        guard gap > limitSeconds else { return nil }
        return SiteSilence(lastPunch: last, hours: Int(gap / 3600))
    }

    /// The sentence `status` prints.
    var sentence: String {
        guard let lastPunch else {
            return "WARNING: no badge file holds a single punch: check the [inputs] badges patterns and that the readers' exports are copied"
        }
        let days = hours / 24
        let ago = days >= 2 ? "\(days) days" : "\(hours) hours"
        return "WARNING: no reader of the site has recorded a punch since \(lastPunch) (\(ago) ago): "
            + "the exports may have stopped; check that every reader's export is still copied into the badge folder"
    }
}
