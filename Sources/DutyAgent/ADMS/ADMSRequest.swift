import Foundation
import Shared

/// The ZKTeco ADMS ("push", "cloud server") protocol as devices speak it: the query string, the
/// `ATTLOG` upload body and the options text of the handshake. Pure functions on bytes, bounded
/// everywhere (the fuzz target `adms` drives them).
enum ADMSRequest {
    /// The largest body accepted (a device uploads a few hundred records at a time).
    static let maxBodyBytes = 2 * 1024 * 1024
    /// The longest line of an upload body (an ATTLOG record is under 100 bytes).
    static let maxLineBytes = 1024
    /// The most lines of one upload.
    static let maxLines = 20_000
    /// The longest query string, and the most parameters in it.
    static let maxQueryBytes = 4096
    static let maxParameters = 32

    /// Whether `text` can be a device serial number: 1 to 64 letters, digits, `-` or `_`.
    static func isSerial(_ text: String) -> Bool {
        let u = text.utf8
        return !u.isEmpty && u.count <= 64 && u.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
        }
    }

    /// The parameters of a query string (`SN=…&table=ATTLOG&Stamp=…`), percent-decoded; names are
    /// matched without case by `value(_:in:)`. The first of a repeated name wins.
    static func query(_ raw: String) throws(ADMSProtocolError) -> [String: String] {
        guard raw.utf8.count <= maxQueryBytes else { throw .badQuery("the query string is longer than \(maxQueryBytes) bytes") }
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            guard out.count < maxParameters else { throw .badQuery("more than \(maxParameters) query parameters") }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw .badQuery("a query parameter is not valid percent-encoded UTF-8")
            }
            if !name.isEmpty, out[name] == nil { out[name] = value }
        }
        return out
    }

    /// The value of parameter `name` (any case: devices send `SN`, some `sn`).
    static func value(_ name: String, in query: [String: String]) -> String? {
        if let v = query[name] { return v }
        let lower = name.lowercased()
        return query.first { $0.key.lowercased() == lower }?.value
    }

    private static func decode(_ s: Substring) -> String? {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        if !plus.contains("%") { return plus }
        return plus.removingPercentEncoding
    }

    /// Splits an upload body into its non-blank lines (LF or CRLF), within the limits.
    static func lines(_ body: [UInt8]) throws(ADMSProtocolError) -> [ArraySlice<UInt8>] {
        guard body.count <= maxBodyBytes else { throw .bodyTooLarge(body.count) }
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var number = 0
        func take(_ end: Int) throws(ADMSProtocolError) {
            number += 1
            var e = end
            if e > start, body[e - 1] == 13 { e -= 1 }
            guard e - start <= maxLineBytes else { throw .lineTooLong(line: number, bytes: e - start) }
            if body[start..<e].contains(where: { $0 != 32 && $0 != 9 }) {
                guard out.count < maxLines else { throw .tooManyLines }
                out.append(body[start..<e])
            }
        }
        for (i, b) in body.enumerated() where b == 10 {
            try take(i)
            start = i + 1
        }
        if start < body.count { try take(body.count) }
        return out
    }

    /// Reads an `ATTLOG` upload: each line a record (`PIN, time, state, verify, workcode, …`,
    /// tab-separated) or, when it is not one, rejected with the reason.
    static func attlog(_ body: [UInt8]) throws(ADMSProtocolError) -> ATTLOGBatch {
        var batch = ATTLOGBatch()
        for line in try lines(body) {
            switch record(line) {
            case .success(let r): batch.records.append(r)
            case .failure(let reason): batch.rejected.append(ATTLOGBatch.Rejected(reason: reason.text, raw: Array(line)))
            }
        }
        return batch
    }

    /// Why a line is not an ATTLOG record, as `field: what`.
    struct LineProblem: Error { var text: String }

    /// One ATTLOG line.
    static func record(_ line: ArraySlice<UInt8>) -> Result<ADMSRecord, LineProblem> {
        let bytes = Array(line)
        return bytes.withUnsafeBufferPointer { b -> Result<ADMSRecord, LineProblem> in
            var fields: [(Int, Int)] = []
            var s = 0
            for i in 0...b.count where i == b.count || b[i] == ByteText.tab {
                fields.append(ByteText.trimmed(b, s, i))
                s = i + 1
                if fields.count > 16 { break }
            }
            guard fields.count >= 2 else {
                return .failure(LineProblem(text: "fields: 1 field in \(ByteText.shown(b, 0, b.count)); an ATTLOG line has "
                                            + "PIN, time, state, verify, workcode, … separated by tabs"))
            }
            let (ps, pe) = fields[0]
            guard pe > ps, pe - ps <= 24, ByteText.allDigits(b, ps, pe) else {
                if ps == pe { return .failure(LineProblem(text: "PIN: empty")) }
                let what = ByteText.hasControlBytes(b, ps, pe) ? "holds control bytes" : "is not a badge number"
                return .failure(LineProblem(text: "PIN: \(ByteText.shown(b, ps, pe)) \(what)"))
            }
            let (ts, te) = fields[1]
            let parsed = TimestampParser.parse(b, ts, te)
            guard case .time(let time) = parsed else {
                let problem = TimestampParser.problem(parsed) ?? "is not a time"
                return .failure(LineProblem(text: "time: \(ByteText.shown(b, ts, te)) \(problem)"))
            }
            var state: Int?
            if fields.count > 2 {
                let (ss, se) = fields[2]
                if ss < se {
                    guard let v = ByteText.integer(b, ss, se), v <= 255 else {
                        return .failure(LineProblem(text: "state: \(ByteText.shown(b, ss, se)) is not a state 0-255"))
                    }
                    state = v
                }
            }
            func small(_ k: Int) -> String {
                guard fields.count > k else { return "" }
                let (fs, fe) = fields[k]
                return fe - fs <= 10 && ByteText.allDigits(b, fs, fe) ? ByteText.string(b, fs, fe) : ""
            }
            return .success(ADMSRecord(pin: ByteText.string(b, ps, pe), time: time, state: state,
                                       verify: small(3), workcode: small(4)))
        }
    }

    /// The options text a device reads from the first `GET /iclock/cdata`: what to upload and how
    /// often to call. `stamp` is the last `Stamp` it sent (records after it are new), or nil for all.
    static func options(serial: String, stamp: String?, timeZoneHours: Int, delaySeconds: Int) -> String {
        let s = stamp ?? "None"
        return [
            "GET OPTION FROM: \(serial)",
            "Stamp=\(s)",
            "ATTLOGStamp=\(s)",
            "OpStamp=9999",
            "OPERLOGStamp=9999",
            "PhotoStamp=9999",
            "ATTPHOTOStamp=9999",
            "ErrorDelay=30",
            "Delay=\(delaySeconds)",
            "TransTimes=00:00;14:05",
            "TransInterval=1",
            "TransFlag=TransData AttLog",
            "TimeZone=\(timeZoneHours)",
            "Realtime=1",
            "Encrypt=None",
        ].joined(separator: "\r\n") + "\r\n"
    }
}

/// A request the receiver refuses as malformed.
enum ADMSProtocolError: Error, Equatable, CustomStringConvertible {
    case badQuery(String)
    case bodyTooLarge(Int)
    case lineTooLong(line: Int, bytes: Int)
    case tooManyLines

    /// 413 for what is too large, else 400.
    var status: Int {
        switch self {
        case .bodyTooLarge, .tooManyLines: 413
        default: 400
        }
    }

    var description: String {
        switch self {
        case .badQuery(let why): "bad query: \(why)"
        case .bodyTooLarge(let n): "body of \(n) bytes; at most \(ADMSRequest.maxBodyBytes)"
        case .lineTooLong(let line, let n): "line \(line) of the body has \(n) bytes; at most \(ADMSRequest.maxLineBytes)"
        case .tooManyLines: "more than \(ADMSRequest.maxLines) lines in one upload"
        }
    }
}

/// One punch record of an upload.
struct ADMSRecord: Hashable, Sendable {
    var pin: String
    var time: LocalDateTime
    var state: Int?
    var verify: String
    var workcode: String

    /// What makes a record the same punch again (a retried upload): the PIN and the second.
    var key: String { "\(pin)\t\(time)" }
}

/// An `ATTLOG` upload read.
struct ATTLOGBatch: Sendable {
    struct Rejected: Sendable, Hashable {
        var reason: String
        var raw: [UInt8]
    }
    var records: [ADMSRecord] = []
    var rejected: [Rejected] = []
    var lineCount: Int { records.count + rejected.count }
}
