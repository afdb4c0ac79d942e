import Foundation
import Testing
@testable import DutyAgent
import Shared

/// Reads a generated one-million-line attlog and a CSV of the same punches and prints the rate.
/// It checks the counts, not the speed (the benchmark proper measures that); run it with
/// `swift test -c release --filter IngestThroughput` for meaningful numbers.
@Suite struct IngestThroughputTests {
    static let lineCount = 1_000_000

    private static func attlog() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(lineCount * 42)
        let base = CivilDate("2026-01-01")!
        for i in 0..<lineCount {
            let badge = String(1000 + i % 5000)
            let time = LocalDateTime(date: base.adding(days: i / 10_000), secondsOfDay: 8 * 3600 + (i % 10_000) * 3)
            let line = String(repeating: " ", count: 9 - badge.utf8.count) + badge + "\t\(time)\t1\t\(i % 2)\t1\t0\r\n"
            out.append(contentsOf: line.utf8)
        }
        out.append(contentsOf: [UInt8](repeating: 0, count: 65_536))
        return Data(out)
    }

    @Test func attlogRate() {
        let data = Self.attlog()
        let clock = ContinuousClock()
        var readout: BadgeFileReadout?
        let elapsed = clock.measure {
            readout = BadgeFileReader.read(data: data, displayName: "1_attlog.dat", fileIndex: 0, defaultReader: nil)
        }
        let r = readout!
        #expect(r.punches.count == Self.lineCount)
        #expect(r.lines == Self.lineCount && r.quality.isEmpty)
        #expect(r.punches.last?.badge == String(1000 + (Self.lineCount - 1) % 5000))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("attlog ingest: \(Self.lineCount) lines in \(String(format: "%.3f", seconds)) s = "
              + "\(Int(Double(Self.lineCount) / seconds)) lines/s")
    }

    @Test func csvRate() {
        var text = "工号,姓名,日期时间,机器号\n"
        text.reserveCapacity(Self.lineCount / 4 * 40)
        let base = CivilDate("2026-01-01")!
        for i in 0..<(Self.lineCount / 4) {
            let time = LocalDateTime(date: base.adding(days: i / 10_000), secondsOfDay: 8 * 3600 + (i % 10_000) * 3)
            text += "\(1000 + i % 5000),张伟,\(time),\(1 + i % 3)\n"
        }
        let data = Data(text.utf8)
        let clock = ContinuousClock()
        var readout: BadgeFileReadout?
        let elapsed = clock.measure {
            readout = BadgeFileReader.read(data: data, displayName: "export.csv", fileIndex: 0, defaultReader: nil)
        }
        let r = readout!
        #expect(r.punches.count == Self.lineCount / 4 && r.quality.isEmpty)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("csv ingest: \(Self.lineCount / 4) lines in \(String(format: "%.3f", seconds)) s = "
              + "\(Int(Double(Self.lineCount / 4) / seconds)) lines/s")
    }
}
