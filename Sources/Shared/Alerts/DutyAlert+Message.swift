/// The words a duty supervisor reads: a title and one short factual sentence, in the site's
/// language, labels from `Vocabulary`, times as the site's wall-clock time.
extension DutyAlert {
    /// `值班未到岗`, `已返回`, …
    public func title(_ language: Language) -> String { Vocabulary(language).alert(kind) }

    /// One sentence: who (name, unit), which duty and post, since when, how long.
    public func sentence(_ language: Language) -> String {
        let zh = language == .zh
        let who = zh ? "\(name ?? person ?? "?")（\(unit?.description ?? "")）" : "\(name ?? person ?? "?") (\(unit?.description ?? ""))"
        let duty = shiftName ?? shift ?? ""
        let post = posts.isEmpty ? (zh ? "岗位" : "the post") : posts.joined(separator: zh ? "、" : ", ")
        let since = Self.clock(self.since, relativeTo: due)
        switch (kind, zh) {
        case (.notArrived, true):
            return "\(who)应于 \(since) 到\(post)值班（\(duty)），截至 \(Self.clock(due, relativeTo: due)) 未见打卡。"
        case (.notArrived, false):
            return "\(who) was due on duty \(duty) (\(post)) at \(since) and has not badged in by \(Self.clock(due, relativeTo: due))."
        case (.awayOverLimit, true):
            return "\(who)值班期间自 \(since) 离开\(post)，已超过 \(minutes ?? 0) 分钟未返回。"
        case (.awayOverLimit, false):
            return "\(who), on duty \(duty), left \(post) at \(since) and has been away more than \(minutes ?? 0) minutes."
        case (.returned, true):
            return "\(who)已于 \(until.map { Self.clock($0, relativeTo: due) } ?? "?") 返回\(post)，离岗 \(minutes ?? 0) 分钟（自 \(since) 起）。"
        case (.returned, false):
            return "\(who) came back to \(post) at \(until.map { Self.clock($0, relativeTo: due) } ?? "?") after \(minutes ?? 0) minutes away (since \(since))."
        case (.readerOffline, true):
            return "读卡器 \(reader ?? "?") 自 \(since) 起无联络，已超过 \(minutes ?? 0) 分钟；其间的打卡无法实时判定。"
        case (.readerOffline, false):
            return "Reader \(reader ?? "?") has not called since \(since), more than \(minutes ?? 0) minutes; punches meanwhile cannot be judged live."
        }
    }

    /// `HH:mm`, with the date in front when it is not the date of `reference`.
    static func clock(_ t: LocalDateTime, relativeTo reference: LocalDateTime) -> String {
        let hm = String(t.timeOfDay.prefix(5))
        return t.date == reference.date ? hm : "\(t.date) \(hm)"
    }
}
