import Foundation
import Testing
@testable import DutyAgent
@testable import Shared

@Suite struct InputScannerTests {
    @Test func inputsAreReadAgainOnlyWhenAFileChangesAndChangesMakeRevisions() async throws {
        let folder = makeTemporaryFolder("scanner")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try TestOffice(folder: folder, collectorURL: URL(string: "http://127.0.0.1:9")!, token: "t")
        let spool = try Spool(folder: office.spool, maxBytes: 1 << 24, logger: quietLogger)
        let scanner = InputScanner(configPath: office.configPath, spool: spool, logger: quietLogger)

        let first = try await scanner.scan()
        #expect(first.read)
        #expect(first.spooled.count == first.decided && first.decided >= 8, "\(first)")
        #expect(first.spooled.first == "\(office.from) r1")

        let second = try await scanner.scan()
        #expect(!second.read, "nothing changed: the inputs are not read again")
        #expect(second.spooled.isEmpty)

        // A late badge file: only the date it concerns gets a new revision.
        try office.addLateFile(person: "9999", date: office.to.adding(days: -1))
        let third = try await scanner.scan()
        #expect(third.read)
        #expect(third.spooled == ["\(office.to.adding(days: -1)) r2"])

        // A new leave likewise.
        try office.addLeave(person: "1001", date: office.from)
        let fourth = try await scanner.scan()
        #expect(fourth.spooled == ["\(office.from) r2"])
    }

    @Test func aBrokenConfigIsAnErrorNamingTheFile() async throws {
        let folder = makeTemporaryFolder("scanner-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try TestOffice(folder: folder, collectorURL: URL(string: "http://127.0.0.1:9")!, token: "t")
        try Data("[site\nid = 1\n".utf8).write(to: URL(fileURLWithPath: office.configPath))
        let spool = try Spool(folder: office.spool, maxBytes: 1 << 24, logger: quietLogger)
        let scanner = InputScanner(configPath: office.configPath, spool: spool, logger: quietLogger)
        await #expect(throws: InputError.self) { try await scanner.scan() }
    }
}
