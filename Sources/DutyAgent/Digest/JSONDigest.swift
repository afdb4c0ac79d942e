import Foundation
import Shared

/// The JSON digest: exactly one object `{"anomalies":[…],"quality":[…],"totals":{…}}`, keys sorted.
///
/// Written byte by byte with `PrettyJSONWriter` in the layout `JSONEncoder` gave it (the golden
/// file and a test against `JSONEncoder` keep them the same), straight to the output in pieces of a
/// megabyte: the year of a large office is 100 MB of JSON, which is never held whole. Keys are
/// written in sorted order by hand: a new field needs its place here.
enum JSONDigest {
    /// The JSON text, pretty-printed, with a final newline.
    static func render(_ report: DigestReport) throws -> String {
        var bytes: [UInt8] = []
        try write(report) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the digest to `sink` in pieces, in order.
    static func write(_ report: DigestReport, to sink: @escaping (ArraySlice<UInt8>) throws -> Void) throws {
        var w = PrettyJSONWriter(sink: sink)
        try w.beginObject()
        w.key("anomalies")
        try w.beginArray()
        for a in report.anomalies { try anomaly(a, &w) }
        w.endArray()
        w.key("quality")
        try w.beginArray()
        for q in report.quality { try quality(q, &w) }
        w.endArray()
        w.key("totals")
        try totals(report.totals, &w)
        w.endObject()
        w.raw("\n")
        try w.finish()
    }

    private static func anomaly(_ a: Anomaly, _ w: inout PrettyJSONWriter) throws {
        try w.beginObject()
        if let t = a.awayFrom { w.key("away_from"); w.time(t) }
        if let t = a.awayTo { w.key("away_to"); w.time(t) }
        w.key("date"); w.date(a.date)
        w.key("duty"); w.bool(a.duty)
        w.key("evidence")
        try w.beginArray()
        for e in a.evidence {
            try w.beginObject()
            if let d = e.direction { w.key("direction"); w.string(d.rawValue) }
            w.key("file"); w.string(e.file)
            w.key("line"); w.int(e.line)
            w.key("reader"); w.string(e.reader)
            w.key("time"); w.time(e.time)
            w.endObject()
        }
        w.endArray()
        w.key("excused"); w.bool(a.excused)
        if let t = a.expectedEnd { w.key("expected_end"); w.time(t) }
        if let t = a.expectedStart { w.key("expected_start"); w.time(t) }
        w.key("id"); w.string(a.id)
        w.key("kind"); w.string(a.kind.rawValue)
        w.key("minutes"); w.int(a.minutes)
        w.key("name"); w.string(a.name)
        w.key("person"); w.string(a.person)
        if let r = a.reason { w.key("reason"); w.string(r) }
        w.key("severity"); w.string(a.severity.rawValue)
        w.key("shift"); w.string(a.shift)
        if let n = a.shiftName { w.key("shift_name"); w.string(n) }
        if a.suspected { w.key("suspected"); w.bool(true) }
        w.key("unit"); w.string(a.unit.description)
        w.endObject()
    }

    private static func quality(_ q: QualityItem, _ w: inout PrettyJSONWriter) throws {
        try w.beginObject()
        if let b = q.badge { w.key("badge"); w.string(b) }
        if let c = q.count { w.key("count"); w.int(c) }
        if let d = q.date { w.key("date"); w.date(d) }
        if let s = q.driftSeconds { w.key("drift_seconds"); w.int(s) }
        if let f = q.field { w.key("field"); w.string(f) }
        if let f = q.file { w.key("file"); w.string(f) }
        if let i = q.interval { w.key("interval"); w.string(i) }
        w.key("kind"); w.string(q.kind.rawValue)
        if let l = q.line { w.key("line"); w.int(l) }
        w.key("message"); w.string(q.message)
        if let people = q.people {
            w.key("people")
            try w.beginArray()
            for p in people { w.string(p) }
            w.endArray()
        }
        if let r = q.reader { w.key("reader"); w.string(r) }
        w.endObject()
    }

    private static func totals(_ t: DigestTotals, _ w: inout PrettyJSONWriter) throws {
        try w.beginObject()
        w.key("anomalies"); w.int(t.anomalies)
        w.key("bad_lines"); w.int(t.badLines)
        w.key("charged"); w.int(t.charged)
        w.key("charged_minutes"); w.int(t.chargedMinutes)
        w.key("excused"); w.int(t.excused)
        w.key("files"); w.int(t.files)
        w.key("instances")
        try w.beginObject()
        w.key("absent"); w.int(t.instances.absent)
        w.key("excused"); w.int(t.instances.excused)
        w.key("pending"); w.int(t.instances.pending)
        w.key("present"); w.int(t.instances.present)
        w.key("scheduled"); w.int(t.instances.scheduled)
        w.key("unverified"); w.int(t.instances.unverified)
        w.endObject()
        w.key("kinds")
        try w.beginObject()
        for name in t.kinds.keys.sorted() {
            let k = t.kinds[name]!
            w.dynamicKey(name)
            try w.beginObject()
            w.key("count"); w.int(k.count)
            w.key("excused"); w.int(k.excused)
            w.key("excused_minutes"); w.int(k.excusedMinutes)
            w.key("minutes"); w.int(k.minutes)
            w.endObject()
        }
        w.endObject()
        w.key("punches"); w.int(t.punches)
        w.key("quality_items"); w.int(t.qualityItems)
        if let s = t.suspected { w.key("suspected"); w.int(s) }
        w.endObject()
    }
}
