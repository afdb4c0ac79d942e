import Foundation

/// One anomaly as the truth and the comparison see it: who, when, which shift, what, how long.
struct TruthAnomaly: Hashable, Comparable, CustomStringConvertible {
    var person: String
    var date: String
    var shift: String
    var kind: String
    var minutes: Int
    /// The excuse (a leave's kind) for excused anomalies; nil for charged ones.
    var reason: String?
    /// The unit of the anomaly's date (after transfers), when given; not part of the identity.
    var unit: String? = nil

    init(_ object: [String: Any]) {
        person = Self.text(object["person"])
        date = Self.text(object["date"])
        shift = Self.text(object["shift"])
        kind = Self.text(object["kind"])
        minutes = (object["minutes"] as? NSNumber)?.intValue ?? Int(Self.text(object["minutes"])) ?? -1
        reason = object["reason"].map { Self.text($0) }
        unit = object["unit"].map { Self.text($0) }
    }

    static func == (a: TruthAnomaly, b: TruthAnomaly) -> Bool {
        (a.person, a.date, a.shift, a.kind, a.minutes, a.reason) == (b.person, b.date, b.shift, b.kind, b.minutes, b.reason)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(person); hasher.combine(date); hasher.combine(shift); hasher.combine(kind)
        hasher.combine(minutes); hasher.combine(reason)
    }

    var description: String {
        "\(date) \(person) \(shift) \(kind) \(minutes) min" + (reason.map { " (\($0))" } ?? "")
    }

    static func < (a: TruthAnomaly, b: TruthAnomaly) -> Bool {
        (a.date, a.person, a.shift, a.kind, a.minutes) < (b.date, b.person, b.shift, b.kind, b.minutes)
    }

    private static func text(_ value: Any?) -> String {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        case nil, is NSNull: ""
        case let other?: "\(other)"
        }
    }
}

/// What `truth.json` of a generated office says, and what `check --format json` reported.
struct OfficeTruth {
    var from: String
    var to: String
    var charged: [TruthAnomaly]
    var excused: [TruthAnomaly]
    /// Suspected off-post: reported apart, never charged.
    var suspected: [TruthAnomaly]
    var quality: [[String: Any]]

    /// Reads `truth.json` as scripts/generate-office.py writes it.
    init(truthFile: URL) throws {
        let object = try Self.object(try Data(contentsOf: truthFile), what: truthFile.path)
        from = object["from"] as? String ?? ""
        to = object["to"] as? String ?? ""
        charged = Self.list(object["anomalies"]).map(TruthAnomaly.init)
        excused = Self.list(object["excused"]).map(TruthAnomaly.init)
        suspected = Self.list(object["suspected"]).map(TruthAnomaly.init)
        quality = Self.list(object["quality"])
    }

    /// Reads the `{"anomalies":[…],"quality":[…]}` object printed by `check --format json`.
    init(checkOutput: Data) throws {
        let object = try Self.object(checkOutput, what: "the output of duty-agent check")
        from = ""
        to = ""
        let anomalies = Self.list(object["anomalies"])
        charged = anomalies.filter { !Self.isExcused($0) && !Self.isSuspected($0) }
            .map { var a = TruthAnomaly($0); a.reason = nil; return a }
        excused = anomalies.filter(Self.isExcused).map(TruthAnomaly.init)
        suspected = anomalies.filter { !Self.isExcused($0) && Self.isSuspected($0) }
            .map { var a = TruthAnomaly($0); a.reason = nil; return a }
        quality = Self.list(object["quality"])
    }

    /// Lines describing every difference from `reported`; empty when the truth was found exactly.
    func differences(from reported: OfficeTruth) -> [String] {
        var lines = Self.diff(expected: charged, got: reported.charged, label: "charged")
        lines += Self.diff(expected: excused, got: reported.excused, label: "excused")
        lines += Self.diff(expected: suspected, got: reported.suspected, label: "suspected")
        // Each anomaly in the unit of its date (after a transfer too).
        var units: [TruthAnomaly: Set<String>] = [:]
        for a in reported.charged + reported.excused + reported.suspected { units[a, default: []].insert(a.unit ?? "") }
        for a in charged + excused + suspected {
            if let unit = a.unit, let got = units[a], !got.contains(unit) {
                lines.append("not in unit \(unit): \(a) (reported in \(got.sorted()))")
            }
        }
        for item in quality where !reported.quality.contains(where: { Self.matches(item, $0) }) {
            lines.append("quality item not reported: \(item)")
        }
        return lines
    }

    private static func diff(expected: [TruthAnomaly], got: [TruthAnomaly], label: String) -> [String] {
        var remaining: [TruthAnomaly: Int] = [:]
        for a in got { remaining[a, default: 0] += 1 }
        var missing: [TruthAnomaly] = []
        for a in expected {
            if let n = remaining[a], n > 0 { remaining[a] = n - 1 } else { missing.append(a) }
        }
        let unexpected = remaining.flatMap { a, n in Array(repeating: a, count: n) }
        var lines = missing.sorted().map { "- \(label) missing:    \($0)" }
        lines += unexpected.sorted().map { "+ \(label) unexpected: \($0)" }
        if !lines.isEmpty {
            lines.insert("\(label): expected \(expected.count), reported \(got.count)", at: 0)
        }
        return lines
    }

    /// A truth quality item matches a reported one when every key it gives matches; a file
    /// matches when one path ends with the other (the agent may name it from another folder).
    private static func matches(_ want: [String: Any], _ item: [String: Any]) -> Bool {
        want.allSatisfy { key, value in
            let expected = "\(value)"
            guard let got = item[key].map({ "\($0)" }) else { return false }
            if key == "file" { return got == expected || got.hasSuffix("/" + expected) || expected.hasSuffix("/" + got) }
            return got == expected
        }
    }

    private static func isExcused(_ object: [String: Any]) -> Bool {
        (object["excused"] as? Bool) ?? (object["excused"] as? NSNumber)?.boolValue ?? false
    }

    private static func isSuspected(_ object: [String: Any]) -> Bool {
        (object["suspected"] as? Bool) ?? (object["suspected"] as? NSNumber)?.boolValue ?? false
    }

    private static func object(_ data: Data, what: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let start = String(decoding: data.prefix(300), as: UTF8.self)
            throw AgentExecutable.Failure("\(what) is not a JSON object: \(start)")
        }
        return object
    }

    private static func list(_ value: Any?) -> [[String: Any]] {
        value as? [[String: Any]] ?? []
    }
}
