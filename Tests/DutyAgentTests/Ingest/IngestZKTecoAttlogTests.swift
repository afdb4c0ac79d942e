import Foundation
import Testing
@testable import DutyAgent
import Shared

@Suite struct IngestZKTecoAttlogTests {
    @Test func readsRightAlignedTabSeparatedRowsWithCRLF() {
        let r = IngestFixtures.badges("     1001\t2026-11-02 08:55:00\t1\t0\t1\t0\r\n     1002\t2026-11-02 17:35:09\t1\t1\t1\t0\r\n",
                                      name: "3_attlog.dat")
        #expect(r.format == .zktecoAttlog)
        #expect(r.lines == 2)
        #expect(r.quality.isEmpty)
        #expect(r.punches.map(\.badge) == ["1001", "1002"])
        #expect(r.punches.map(\.time) == [.at("2026-11-02 08:55:00"), .at("2026-11-02 17:35:09")])
        #expect(r.punches.map(\.state) == [0, 1])
        #expect(r.punches.map(\.reader) == ["3", "3"])  // from the file name, not the device column
        #expect(r.punches.map(\.source) == [SourceRef(file: 0, line: 1), SourceRef(file: 0, line: 2)])
    }

    @Test func readsPipeSeparatedRowsWithLF() {
        let r = IngestFixtures.badges("  7|2026-11-02 08:00:01|1|255|1|0\n  8|2026-11-02 08:00:02|1|4|1|0\n")
        #expect(r.format == .zktecoAttlog)
        #expect(r.punches.map(\.badge) == ["7", "8"])
        #expect(r.punches.map(\.state) == [255, 4])
        #expect(r.lines == 2 && r.blankLines == 0)
    }

    @Test func readerComesFromTheDeviceColumnWithoutAnAttlogName() {
        let r = IngestFixtures.badges("     1001\t2026-11-02 08:55:00\t7\t0\t1\t0\n     1001\t2026-11-02 09:55:00\t12\t0\t1\t0\n",
                                      name: "export.dat")
        #expect(r.format == .zktecoAttlog)
        #expect(r.punches.map(\.reader) == ["7", "12"])
    }

    @Test func readerFromNameTakesTheDigitsBeforeAttlog() {
        #expect(BadgeFileReader.readerFromName("1_attlog.dat") == "1")
        #expect(BadgeFileReader.readerFromName("caoka_12_attlog.dat") == "12")
        #expect(BadgeFileReader.readerFromName("2_ATTLOG.DAT") == "2")
        #expect(BadgeFileReader.readerFromName("lobby_attlog.dat") == nil)
        #expect(BadgeFileReader.readerFromName("1_attlog.csv") == nil)
    }

    @Test func acceptsFiveToElevenFields() {
        let five = "  1\t2026-11-02 08:00:00\t1\t0\t1\n"
        let eleven = "  1\t2026-11-02 08:00:00\t1\t0\t1\t0\t0\t0\t0\t0\t0\n"
        let four = "  1\t2026-11-02 08:00:00\t1\t0\n"
        let twelve = "  1\t2026-11-02 08:00:00\t1\t0\t1\t0\t0\t0\t0\t0\t0\t0\n"
        let r = IngestFixtures.badges(five + eleven + four + twelve)
        #expect(r.punches.map(\.source.line) == [1, 2])
        #expect(r.quality.map(\.line) == [3, 4])
        #expect(r.quality.allSatisfy { $0.message.hasPrefix("fields: ") })
        #expect(r.quality[0].message.contains("4 fields"))
    }

    @Test func nulPaddingAtTheEndIsNoLine() {
        var bytes = Array("  1\t2026-11-02 08:00:00\t1\t0\t1\t0\r\n  2\t2026-11-02 08:00:00\t1\t0\t1\t0\r\n".utf8)
        bytes += [UInt8](repeating: 0, count: 300_000)
        let r = BadgeFileReader.read(data: Data(bytes), displayName: "1_attlog.dat", fileIndex: 0, defaultReader: nil)
        #expect(r.lines == 2)
        #expect(r.punches.count == 2)
        #expect(r.blankLines == 0)
    }

    @Test func spacesBeforeNulPaddingAreOneBlankLine() {
        var bytes = Array("  1\t2026-11-02 08:00:00\t1\t0\t1\t0\r\n".utf8)
        bytes += Array("        ".utf8) + [UInt8](repeating: 0, count: 4096)
        let r = BadgeFileReader.read(data: Data(bytes), displayName: "1_attlog.dat", fileIndex: 0, defaultReader: nil)
        #expect(r.lines == 2)
        #expect(r.punches.count == 1)
        #expect(r.blankLines == 1)
        #expect(r.quality.isEmpty)
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func blankLinesInTheMiddleAreCounted() {
        let r = IngestFixtures.badges("  1\t2026-11-02 08:00:00\t1\t0\t1\t0\n\n   \t \n  2\t2026-11-02 09:00:00\t1\t0\t1\t0")
        #expect(r.lines == 4)
        #expect(r.blankLines == 2)
        #expect(r.punches.map(\.source.line) == [1, 4])  // the last line has no line break
    }

    @Test func corruptedRowsAreBadLinesNamingTheField() throws {
        let text = """
                 1001\t2026-11-02 08:55:00\t1\t255\t1\t0
            ZZZZZZZZZZ\t2047-02-30 19:13:30\t1\t90\t90\t1515870810
                 1002\t2026-13-02 08:00:00\t1\t255\t1\t0
                 1003\t2047-02-30 19:13:30\t1\t0\t1\t0
                 \u{2}0\u{C}\t2023-01-25 08:49:39\t1\t196\t144\t77831
                   20\t2131-01-08 08:46:56\t1\t255\t32\t-1
                    5\t2000-01-01 00:00:48\t1\t0\t2\t808678932
                 1004\t2026-11-02 08:55:00\t1\tX\t1\t0
                     \t2026-11-02 08:55:00\t1\t0\t1\t0
                 1005\t2026-11-02 25:10:00\t1\t0\t1\t0

            """
        let r = IngestFixtures.badges(text)
        #expect(r.punches.map(\.badge) == ["1001"])
        #expect(r.quality.map(\.line) == Array(2...10))
        #expect(r.quality.allSatisfy { $0.kind == .badLine && $0.file == "1_attlog.dat" })
        let messages = r.quality.map(\.message)
        #expect(messages[0].hasPrefix("PIN: \"ZZZZZZZZZZ\" is not a badge number"))
        #expect(messages[0].contains("time: \"2047-02-30 19:13:30\" is a date that does not exist"))
        #expect(messages[1] == "time: \"2026-13-02 08:00:00\" is a date that does not exist")
        #expect(messages[2] == "time: \"2047-02-30 19:13:30\" is a date that does not exist")
        #expect(messages[3].hasPrefix("PIN: ") && messages[3].contains("control bytes") && messages[3].contains("\\u{2}"))
        #expect(messages[4].hasPrefix("time: \"2131-01-08 08:46:56\" is in 2131"))
        #expect(messages[5].contains("reset"))
        #expect(messages[6].hasPrefix("state: \"X\""))
        #expect(messages[7] == "PIN: empty")
        #expect(messages[8].contains("time of day that does not exist"))
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func admsRecordsPutTheStateBeforeVerifyAndTakeTheSN() {
        let body = "1001\t2026-11-02 08:55:00\t0\t1\t0\t0\t0\n1001\t2026-11-02 17:35:00\t1\t15\t0\t0\t0\n"
        let r = IngestFixtures.badges(body, name: "push.txt", reader: "CJDE193560303")
        #expect(r.format == .zktecoADMS)
        #expect(r.punches.map(\.state) == [0, 1])
        #expect(r.punches.map(\.reader) == ["CJDE193560303", "CJDE193560303"])
        #expect(r.punches.map(\.time) == [.at("2026-11-02 08:55:00"), .at("2026-11-02 17:35:00")])
    }

    @Test func admsWithoutAnSNTakesTheReaderFromTheFileName() {
        let r = BadgeFileReader.read(data: Data("42\t2026-11-02 08:55:00\t0\t1\t0\t0\t0\t0\t0\t0\n".utf8),
                                     displayName: "adms/CJDE193560303.txt", fileIndex: 2, defaultReader: nil)
        #expect(r.format == .zktecoADMS)
        #expect(r.punches.first?.reader == "CJDE193560303")
        #expect(r.punches.first?.source == SourceRef(file: 2, line: 1))
    }

    @Test func formatCanBeForced() {
        let r = BadgeFileReader.read(data: Data("1001\t2026-11-02 08:55:00\t4\t0\t1\t0\n".utf8), displayName: "x.dat",
                                     fileIndex: 0, defaultReader: nil, format: .zktecoADMS)
        #expect(r.format == .zktecoADMS)
        #expect(r.punches.first?.state == 4)
    }

    @Test func readsFromDiskAndNamesAMissingFile() throws {
        let url = try IngestFixtures.write("     1001\t2026-11-02 08:55:00\t1\t0\t1\t0\r\n", named: "4_attlog.dat")
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "badges/4_attlog.dat", fileIndex: 1)
        #expect(r.punches.first?.reader == "4")
        #expect(r.punches.first?.source == SourceRef(file: 1, line: 1))
        let missing = url.deletingLastPathComponent().appendingPathComponent("9_attlog.dat")
        #expect(throws: InputError.self) { try BadgeFileReader.read(contentsOf: missing, displayName: "badges/9_attlog.dat", fileIndex: 2) }
        do {
            _ = try BadgeFileReader.read(contentsOf: missing, displayName: "badges/9_attlog.dat", fileIndex: 2)
        } catch let error as InputError {
            #expect(error.file == "badges/9_attlog.dat")
            #expect(error.description.contains("no such file"))
        }
    }

    @Test func anEmptyFileHasNoLines() throws {
        let url = try IngestFixtures.write([UInt8](repeating: 0, count: 1000), named: "5_attlog.dat")
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "5_attlog.dat", fileIndex: 0)
        #expect(r.lines == 0 && r.punches.isEmpty && r.quality.isEmpty)
        let bomOnly = try IngestFixtures.write([0xEF, 0xBB, 0xBF, 0x0D, 0x0A], named: "export.csv")
        let b = try BadgeFileReader.read(contentsOf: bomOnly, displayName: "export.csv", fileIndex: 0)
        #expect(b.lines == 1 && b.blankLines == 1 && b.punches.isEmpty)
    }

    @Test func aFileInNoKnownFormatIsAnErrorNamingIt() throws {
        let url = try IngestFixtures.write("hello\nworld\n", named: "notes.txt")
        #expect(throws: InputError.self) { try BadgeFileReader.read(contentsOf: url, displayName: "badges/notes.txt", fileIndex: 0) }
        let r = BadgeFileReader.read(data: Data("hello\nworld\n".utf8), displayName: "notes.txt", fileIndex: 0, defaultReader: nil)
        #expect(r.quality.map(\.line) == [1, 2])
        #expect(IngestFixtures.accountsForEveryLine(r))
    }
}

/// A ZKTeco file is parsed a window at a time (`BadgeFileReader.window`), its pages given back as
/// it goes: the line numbers and the rows at the windows' edges must come out as from one pass.
@Suite struct IngestZKTecoWindowTests {
    @Test func aFileOfSeveralWindowsKeepsEveryLineNumber() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zk-window-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // About 2.5 windows of 37-byte rows, a bad row at each window's edge, NUL padding.
        let rows = BadgeFileReader.window * 5 / 2 / 37
        let edge = BadgeFileReader.window / 37 + 1
        var text = ""
        var bad: [Int] = []
        for i in 1...rows {
            if i % edge == 0 {
                text += "ZZZZZZZZZZ\t2047-02-30 19:13:30\t1\t90\t90\t1\n"
                bad.append(i)
            } else {
                text += String(format: "%9d\t2026-11-02 %02d:%02d:%02d\t%d\t0\t1\t0\n", 1000 + i % 5000,
                               8 + i / 3600 % 10, i / 60 % 60, i % 60, 1 + i % 6)
            }
        }
        let url = folder.appendingPathComponent("attlog.dat")
        try (Data(text.utf8) + Data(count: 4096)).write(to: url)
        let readout = try BadgeFileReader.read(contentsOf: url, displayName: "badges/attlog.dat", fileIndex: 0)
        #expect(readout.lines == rows)
        #expect(readout.punches.count == rows - bad.count)
        #expect(readout.quality.compactMap(\.line) == bad)
        let lines = readout.punches.map { Int($0.source.line) }
        #expect(lines == (1...rows).filter { !bad.contains($0) }, "every punch keeps the line it is on")
        #expect(readout.punches.last?.reader == String(1 + rows % 6))
    }
}
