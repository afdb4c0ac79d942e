import Foundation

/// At most `perMinute` sends in any 60 seconds.
struct RateWindow: Sendable {
    var perMinute: Int
    private(set) var sent: [Date] = []

    init(perMinute: Int, sent: [Date] = []) {
        self.perMinute = max(1, perMinute)
        self.sent = sent.sorted()
    }

    /// Seconds to wait before the next send at `now` (0: send now).
    func wait(at now: Date) -> TimeInterval {
        let recent = sent.filter { now.timeIntervalSince($0) < 60 }
        guard recent.count >= perMinute else { return 0 }
        return max(0, 60 - now.timeIntervalSince(recent[recent.count - perMinute]))
    }

    mutating func record(_ at: Date) {
        sent.append(at)
        sent.removeAll { at.timeIntervalSince($0) >= 60 }
    }
}
