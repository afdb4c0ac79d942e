import Foundation
import Shared

/// The lines of an ADMS journal file: a ZKTeco USB attlog record per punch
/// (`PIN, time, reader, state, verify, workcode`, tab-separated), so the ordinary badge reader
/// reads it; a line the device sent that was not an ATTLOG record is kept after the marker
/// `#ADMS-REJECTED`, with the reason, and the badge reader reports it as a `bad_line` at its
/// journal line.
enum ADMSJournalLine {
    static let rejectedMarker = Array("#ADMS-REJECTED\t".utf8)

    /// The journal line of a record.
    static func encode(_ r: ADMSRecord, reader: String) -> [UInt8] {
        Array("\(r.pin)\t\(r.time)\t\(reader)\t\(r.state.map(String.init) ?? "")\t\(r.verify)\t\(r.workcode)\n".utf8)
    }

    /// The journal line of a rejected line: the marker, the reason, the line with control bytes and
    /// `\` written `\xNN`.
    static func encodeRejected(_ r: ATTLOGBatch.Rejected) -> [UInt8] {
        var out = rejectedMarker
        out += Array(r.reason.utf8.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 })
        out.append(ByteText.tab)
        for b in r.raw {
            if b < 0x20 || b == 0x7F || b == UInt8(ascii: "\\") {
                out += Array("\\x".utf8) + Array(String(format: "%02x", b).utf8)
            } else {
                out.append(b)
            }
        }
        out.append(ByteText.lf)
        return out
    }

    /// The dedupe key of a journal line: `PIN\ttime` of a record, the whole line of a rejected one.
    static func key(_ line: ArraySlice<UInt8>) -> String {
        if line.starts(with: rejectedMarker) { return String(decoding: line, as: UTF8.self) }
        var tabs = 0
        var end = line.endIndex
        for i in line.indices where line[i] == ByteText.tab {
            tabs += 1
            if tabs == 2 { end = i; break }
        }
        return String(decoding: line[line.startIndex..<end], as: UTF8.self)
    }

    /// The dedupe key of a rejected line before it is written.
    static func key(_ r: ATTLOGBatch.Rejected) -> String {
        var line = encodeRejected(r)
        line.removeLast()
        return String(decoding: line, as: UTF8.self)
    }

    /// The bad-line message of a journal line that holds a rejected line, else nil.
    static func rejectedMessage(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let m = rejectedMarker.count
        guard end - start >= m, rejectedMarker.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress! + start, m) }) == 0
        else { return nil }
        var i = start + m
        while i < end, b[i] != ByteText.tab { i += 1 }
        let reason = ByteText.string(b, start + m, i)
        let raw = i < end ? ByteText.shown(b, i + 1, end) : "\"\""
        return "\(reason) (a line the device sent in an ATTLOG upload, kept in the journal as it came: \(raw))"
    }
}
