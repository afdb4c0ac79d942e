import Foundation
import Testing
@testable import DutyAgent
import Shared

@Suite struct ADMSProtocolTests {
    @Test func queryIsDecodedAndFoundWithoutCase() throws {
        let q = try ADMSRequest.query("SN=CJDE193560303&table=ATTLOG&Stamp=9999&INFO=Ver%208.0.4%2C1")
        #expect(ADMSRequest.value("SN", in: q) == "CJDE193560303")
        #expect(ADMSRequest.value("sn", in: q) == "CJDE193560303")
        #expect(ADMSRequest.value("table", in: q) == "ATTLOG")
        #expect(ADMSRequest.value("INFO", in: q) == "Ver 8.0.4,1")
        #expect(try ADMSRequest.query("").isEmpty)
        #expect(try ADMSRequest.query("SN=A&SN=B")["SN"] == "A")
    }

    @Test func malformedOrOversizedQueriesAreRefused() {
        #expect(throws: ADMSProtocolError.self) { try ADMSRequest.query("SN=%ZZ") }
        #expect(throws: ADMSProtocolError.self) { try ADMSRequest.query(String(repeating: "a", count: 5000)) }
        #expect(throws: ADMSProtocolError.self) { try ADMSRequest.query((0..<40).map { "k\($0)=v" }.joined(separator: "&")) }
    }

    @Test func serialNumbers() {
        #expect(ADMSRequest.isSerial("CJDE193560303"))
        #expect(ADMSRequest.isSerial("A-1_b"))
        #expect(!ADMSRequest.isSerial(""))
        #expect(!ADMSRequest.isSerial("../etc"))
        #expect(!ADMSRequest.isSerial(String(repeating: "A", count: 65)))
    }

    @Test func attlogLinesBecomeRecordsAndBadLinesAreKeptWithTheirReason() throws {
        let body = "1001\t2026-11-02 08:55:00\t0\t1\t0\t0\t0\t0\t0\t0\r\n\n"
            + "1002\t2026-11-02 17:35:09\t1\t15\t0\n"
            + "OPLOG 4\t0\t2026-11-02 08:00:00\n"
            + "1003\t2026-02-30 08:00:00\t0\n"
            + "1004\t2026-11-02 09:00:00\t999\n"
            + "1005\t2026-11-02 09:01:00\n"
        let batch = try ADMSRequest.attlog(Array(body.utf8))
        #expect(batch.records.map(\.pin) == ["1001", "1002", "1005"])
        #expect(batch.records.map(\.state) == [0, 1, nil])
        #expect(batch.records[1].verify == "15")
        #expect(batch.records[0].time == LocalDateTime("2026-11-02 08:55:00"))
        #expect(batch.rejected.count == 3)
        #expect(batch.rejected[0].reason.hasPrefix("PIN: \"OPLOG 4\""))
        #expect(batch.rejected[1].reason.hasPrefix("time: "))
        #expect(batch.rejected[2].reason.hasPrefix("state: \"999\""))
        #expect(batch.lineCount == 6)
    }

    @Test func bodiesAreBounded() {
        let long = Array(("1001\t" + String(repeating: "x", count: 2000) + "\n").utf8)
        #expect(throws: ADMSProtocolError.lineTooLong(line: 1, bytes: 2005)) { try ADMSRequest.attlog(long) }
        let many = Array(String(repeating: "1\t2026-11-02 08:00:00\n", count: ADMSRequest.maxLines + 1).utf8)
        #expect(throws: ADMSProtocolError.tooManyLines) { try ADMSRequest.attlog(many) }
        #expect(ADMSProtocolError.tooManyLines.status == 413)
        #expect(ADMSProtocolError.badQuery("x").status == 400)
    }

    @Test func optionsTextCarriesWhatFirmwareReads() {
        let text = ADMSRequest.options(serial: "CJDE193560303", stamp: "120", timeZoneHours: 8, delaySeconds: 10)
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "GET OPTION FROM: CJDE193560303")
        for expected in ["ATTLOGStamp=120", "Stamp=120", "ErrorDelay=30", "Delay=10", "TransInterval=1", "Realtime=1", "TimeZone=8"] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("TransTimes=") } && lines.contains { $0.hasPrefix("TransFlag=") })
        #expect(ADMSRequest.options(serial: "X", stamp: nil, timeZoneHours: 8, delaySeconds: 10).contains("ATTLOGStamp=None"))
    }

    @Test func journalLinesReadBackAsAttlogWithTheReaderAndBadLinesAtTheirLine() {
        let record = ADMSRecord(pin: "1001", time: LocalDateTime("2026-11-02 08:55:00")!, state: 1, verify: "1", workcode: "0")
        let rejected = ATTLOGBatch.Rejected(reason: "PIN: \"x\" is not a badge number", raw: Array("x\t\u{1}\\".utf8))
        let text = ADMSJournalLine.encode(record, reader: "duty-room-in") + ADMSJournalLine.encodeRejected(rejected)
        let r = BadgeFileReader.read(bytes: text, displayName: "adms/duty-room-in_adms.dat", fileIndex: 0, defaultReader: nil,
                                     format: .zktecoAttlog)
        #expect(r.punches.map(\.reader) == ["duty-room-in"])
        #expect(r.punches.map(\.state) == [1])
        #expect(r.quality.count == 1)
        #expect(r.quality.first?.line == 2)
        #expect(r.quality.first?.field == "工号")
        #expect(r.quality.first?.message.contains("kept in the journal as it came") == true)
        #expect(ADMSJournalLine.key(ADMSJournalLine.encode(record, reader: "3").dropLast()) == record.key)
    }

    @Test func journalNamesAreSafeAndDistinct() {
        #expect(ADMSConfig.journalName(reader: "3") == "3_adms.dat")
        let a = ADMSConfig.journalName(reader: "门厅/入口"), b = ADMSConfig.journalName(reader: "门厅/出口")
        #expect(a != b && !a.contains("/") && ADMSConfig.isJournalName(a))
        #expect(!ADMSConfig.journalName(reader: "../x").hasPrefix("."))
    }
}
