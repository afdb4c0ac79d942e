/// The engine's own data-quality items: unknown badges, clock skew and silent dates.
enum QualityReport {
    /// One `unknown_badge` item per badge, sorted by badge.
    static func unknownBadges(_ book: PunchBook, input: AttendanceInput) -> [QualityItem] {
        book.unknownBadges.sorted { $0.key < $1.key }.map { badge, seen in
            let p = input.punches[Int(seen.first)]
            return QualityItem.unknownBadge(badge, count: seen.count, first: p, file: fileName(p.source.file, input.files))
        }
    }

    /// One `clock_skew` item per reader and kind of skew.
    static func clockSkews(_ book: PunchBook, input: AttendanceInput) -> [QualityItem] {
        book.skews.map { s in
            let p = input.punches[Int(s.first)]
            let file = fileName(p.source.file, input.files)
            let reader = book.readers[Int(s.reader)].id
            let what = s.kind == .reset
                ? "dated before 2001 (\(p.time)): the reader's clock was reset"
                : "dated in the future (\(p.time)): the reader's clock runs ahead"
            return QualityItem(kind: .clockSkew, file: file, line: Int(p.source.line), date: p.time.date,
                               badge: p.badge, reader: reader, count: s.count,
                               message: "Reader \(reader) recorded \(s.count) punch(es) \(what), first at \(file):\(p.source.line); "
                                   + "they were left out of the rules. Set the reader's clock and re-export, "
                                   + "or correct the times by hand.")
        }
    }

    /// One `reader_silent` item per date on which no reader recorded anything.
    static func silentDates(_ unverified: [CivilDate: Int], readers: [ReaderInfo]) -> [QualityItem] {
        let ids = readers.map(\.id).joined(separator: ", ")
        return unverified.sorted { $0.key < $1.key }.map { date, count in
            QualityItem(kind: .readerSilent, date: date, count: count,
                        message: "No reader recorded a single punch on \(date), a date with \(count) scheduled "
                            + "shift instance(s); they were not judged and nobody was charged. Check that the "
                            + "exports of every reader (\(ids.isEmpty ? "none known" : ids)) for \(date) were "
                            + "collected and that the readers were powered, then run again.")
        }
    }

    /// One `reader_silent` item per reader and date on which that reader alone was silent.
    static func silentReaders(_ silence: ReaderSilence, book: PunchBook, people: [Person]) -> [QualityItem] {
        silence.silent.compactMap { s in
            guard s.instances > 0 else { return nil }
            let reader = book.readers[Int(s.reader)].id
            let who = s.people.map { "\(people[$0].name) (\(people[$0].id))" }
            let names = who.joined(separator: ", ")
            var item = QualityItem(kind: .readerSilent, date: s.date, reader: reader, count: s.instances,
                               message: "Reader \(reader) recorded nothing on \(s.date) while the other readers worked; "
                                   + "\(s.instances) shift instance(s) of the people who use it were not judged and nobody "
                                   + "was charged: \(names). Collect that reader's export for \(s.date) "
                                   + "(or check that it was powered and connected), then run again.")
            item.people = who
            return item
        }
    }

    static func fileName(_ index: Int32, _ files: [String]) -> String {
        let i = Int(index)
        return i >= 0 && i < files.count ? files[i] : "#\(i)"
    }

    /// One `reader_silent` item per outage of a device that pushes, naming the reader, the interval
    /// and the people left unverified.
    static func outages(_ cover: OutageCover, people: [Person]) -> [QualityItem] {
        cover.covered.compactMap { c in
            guard c.instances > 0 else { return nil }
            let who = c.people.map { "\(people[$0].name) (\(people[$0].id))" }
            let device = c.outage.device.map { " (device \($0))" } ?? ""
            var item = QualityItem(kind: .readerSilent, date: c.outage.from.date, reader: c.outage.reader,
                                   count: c.instances,
                                   message: "Reader \(c.outage.reader)\(device) stopped calling the agent from \(c.outage.interval); "
                                       + "\(c.instances) shift instance(s) of the people who use it were not judged and nobody "
                                       + "was charged: \(who.joined(separator: ", ")). Check the reader's power and network "
                                       + "connection; the punches it kept are sent when it calls again.")
            item.people = who
            item.interval = c.outage.interval
            return item
        }
    }
}
