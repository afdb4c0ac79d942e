import Foundation
import Logging
import Testing
@testable import DutyAgent
import Shared

/// The receiver's logic on a real journal folder, with a clock the test moves.
@Suite struct ADMSReceiverTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: Date
        init(_ now: Date) { self.now = now }
        func get() -> Date { lock.withLock { now } }
        func advance(_ s: TimeInterval) { lock.withLock { now += s } }
    }

    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-11-02 09:00:00 in Shanghai.
    static let start = Date(timeIntervalSince1970: 1_793_926_800 - 8 * 3600 + 9 * 3600)

    func make(_ folder: URL, clock: Clock, appended: (@Sendable (String) async -> Void)? = nil) throws -> ADMSReceiver {
        let config = ADMSConfig(host: "127.0.0.1", port: 1, journal: folder, journalDisplay: "adms", offlineMinutes: 10,
                                devices: [ADMSDevice(serial: "SN1", reader: "3", offlineMinutes: nil)])
        return try ADMSReceiver(config: config, zone: Self.zone, logger: Logger(label: "test"), clock: { clock.get() },
                                onDurableAppend: appended ?? { _ in })
    }

    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-adms-\(UUID().uuidString)")
    }

    func post(_ r: ADMSReceiver, _ body: String, serial: String = "SN1") async -> ADMSReceiver.Answer {
        await r.handle(.init(method: "POST", path: "/iclock/cdata", query: "SN=\(serial)&table=ATTLOG&Stamp=1",
                             body: Array(body.utf8), address: "10.0.0.9"))
    }

    func local(_ clock: Clock, plus seconds: Int64 = 0) -> String {
        Office.localNow(in: Self.zone, at: clock.get()).adding(seconds: seconds).description
    }

    @Test func aRetriedUploadAddsNothingEvenAfterARestart() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = Clock(Self.start)
        let body = "1001\t\(local(clock))\t0\t1\n1002\t\(local(clock))\t0\t1\nnot a record\n"
        let first = try make(dir, clock: clock)
        #expect(await post(first, body) == .init(status: 200, text: "OK: 3\n"))
        #expect(await post(first, body) == .init(status: 200, text: "OK: 3\n"))
        let again = try make(dir, clock: clock)
        #expect(await post(again, body).status == 200)
        let journal = try String(contentsOf: dir.appendingPathComponent("3_adms.dat"), encoding: .utf8)
        #expect(journal.split(separator: "\n").count == 3)
    }

    @Test func anUnfinishedLastLineIsCutOnOpen() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("1001\t2026-11-02 08:00:00\t3\t0\t1\t0\n1002\t2026-11-02 08:0".utf8)
            .write(to: dir.appendingPathComponent("3_adms.dat"))
        let clock = Clock(Self.start)
        let r = try make(dir, clock: clock)
        #expect(await post(r, "1002\t2026-11-02 08:01:00\t0\t1\n").status == 200)
        let journal = try String(contentsOf: dir.appendingPathComponent("3_adms.dat"), encoding: .utf8)
        #expect(journal == "1001\t2026-11-02 08:00:00\t3\t0\t1\t0\n1002\t2026-11-02 08:01:00\t3\t0\t1\t\n")
    }

    @Test func anUnknownSerialIsRefusedAndRemembered() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try make(dir, clock: Clock(Self.start))
        #expect(await post(r, "1\t2026-11-02 08:00:00\n", serial: "EVIL1").status == 403)
        #expect(await r.handle(.init(method: "GET", path: "/iclock/getrequest", query: "SN=EVIL1", body: [], address: "10.0.0.66")).status == 403)
        let state = try ADMSDeviceState.read(dir.appendingPathComponent(".devices.json"))
        #expect(state.refused.map(\.serial) == ["EVIL1", "EVIL1"])
        #expect(state.refused.map(\.address) == ["10.0.0.9", "10.0.0.66"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("EVIL1_adms.dat").path))
    }

    @Test func endpointsAnswerAsFirmwareExpects() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try make(dir, clock: Clock(Self.start))
        let options = await r.handle(.init(method: "GET", path: "/iclock/cdata", query: "SN=SN1&options=all", body: [], address: "a"))
        #expect(options.status == 200 && options.text.hasPrefix("GET OPTION FROM: SN1\r\n"))
        #expect(await r.handle(.init(method: "GET", path: "/iclock/getrequest", query: "SN=SN1", body: [], address: "a")).text == "OK\n")
        #expect(await r.handle(.init(method: "POST", path: "/iclock/devicecmd", query: "SN=SN1", body: Array("ID=1&Return=0".utf8), address: "a")).text == "OK\n")
        let oplog = await r.handle(.init(method: "POST", path: "/iclock/cdata", query: "SN=SN1&table=OPERLOG",
                                         body: Array("OPLOG 4\t0\t2026-11-02 08:00:00\nOPLOG 5\n".utf8), address: "a"))
        #expect(oplog.text == "OK: 2\n")
        let journal = (try? String(contentsOf: dir.appendingPathComponent("3_adms.dat"), encoding: .utf8)) ?? ""
        #expect(journal.isEmpty)
        #expect(await r.handle(.init(method: "GET", path: "/iclock/cdata", query: "table=x", body: [], address: "a")).status == 400)
        #expect(await r.handle(.init(method: "GET", path: "/iclock/cdata", query: "SN=%zz", body: [], address: "a")).status == 400)
        #expect(await r.handle(.init(method: "GET", path: "/other", query: "SN=SN1", body: [], address: "a")).status == 404)
    }

    @Test func silenceIsAnOutageAndTheDriftIsMeasuredFromRealTimeUploads() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = Clock(Self.start)
        let r = try make(dir, clock: clock)
        // The device's clock runs 5 minutes ahead: its punch arrives "from the future".
        #expect(await post(r, "1001\t\(local(clock, plus: 300))\t0\t1\n").status == 200)
        clock.advance(30 * 60)
        _ = await r.handle(.init(method: "GET", path: "/iclock/getrequest", query: "SN=SN1", body: [], address: "a"))
        let state = await r.currentState
        let device = try #require(state.devices["SN1"])
        #expect(device.drift == 300)
        #expect(device.outages.count == 1)
        #expect(device.outages.first.map { abs($0.to.timeIntervalSince($0.from) - 1800) < 1 } == true)
        let config = await r.config
        let outages = ADMSDeviceState.outages(state, config: config, zone: Self.zone, now: clock.get())
        #expect(outages.map(\.reader) == ["3"])
        #expect(outages.first?.from == Office.localNow(in: Self.zone, at: Self.start))
        let skews = ADMSDeviceState.clockSkews(state, config: config, zone: Self.zone)
        #expect(skews.map(\.driftSeconds) == [300])
        #expect(skews.first?.kind == .clockSkew)
        // Silent now past the limit: an outage still open.
        let later = ADMSDeviceState.outages(state, config: config, zone: Self.zone, now: clock.get() + 11 * 60)
        #expect(later.count == 2 && later.last?.to == nil)
    }

    @Test func theHookHearsEveryDurableAppendOnly() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let heard = Heard()
        let r = try make(dir, clock: Clock(Self.start), appended: { reader in await heard.add(reader) })
        _ = await post(r, "1001\t2026-11-02 08:00:00\n")
        _ = await post(r, "1001\t2026-11-02 08:00:00\n")
        #expect(await heard.readers == ["3"])
    }

    @Test func lastCallsAreByReaderForAReaderOfflineAlert() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = Clock(Self.start)
        let r = try make(dir, clock: clock)
        #expect(await r.lastCalls().isEmpty)
        clock.advance(60)
        _ = await r.handle(.init(method: "GET", path: "/iclock/getrequest", query: "SN=SN1", body: [], address: "a"))
        #expect(await r.lastCalls() == ["3": clock.get()])
        _ = await r.handle(.init(method: "GET", path: "/iclock/getrequest", query: "SN=NOPE", body: [], address: "a"))
        #expect(await r.lastCalls().count == 1)
    }

    actor Heard {
        var readers: [String] = []
        func add(_ r: String) { readers.append(r) }
    }
}
