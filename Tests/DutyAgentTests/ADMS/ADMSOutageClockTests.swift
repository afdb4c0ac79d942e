import Foundation
import Shared
import Testing
@testable import DutyAgent

/// One scan, one clock: `Office.load` measures a silent device's outage at the `now` it is given
/// (the scan's), not at the time it happens to run.
@Suite struct ADMSOutageClockTests {
    @Test func aSilentDeviceIsOfflineAtTheNowGivenNotAtTheClockAndStatusSaysNeverOnce() throws {
        let toml = ConfigFolder.validTOML + """

            [[reader]]
            id = "4"

            [adms]
            listen = "127.0.0.1:9081"
            offline_minutes = 10

            [[adms.device]]
            serial = "SN1"
            reader = "2"

            [[adms.device]]
            serial = "SN2"
            reader = "4"
            """
        var files = ConfigFolder.defaultFiles
        files["adms/2_adms.dat"] = ""
        let folder = try ConfigFolder(toml, files: files)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        let adms = try #require(config.adms)
        // The device last called on 2 November 2026 at 08:00 UTC, long before the clock of this test.
        let last = try #require(ISO8601DateFormatter().date(from: "2026-11-02T08:00:00Z"))
        var state = ADMSDeviceState()
        state.call(serial: "SN1", reader: "2", address: "10.0.0.2", now: last, offline: 600)
        try state.write(adms.stateFile)

        let fiveMinutesLater = try Office.load(config, now: last.addingTimeInterval(5 * 60))
        #expect(fiveMinutesLater.input.outages.isEmpty)
        let anHourLater = try Office.load(config, now: last.addingTimeInterval(3_600))
        #expect(anHourLater.input.outages.map(\.reader) == ["2"] && anHourLater.input.outages.map(\.to) == [nil])
        #expect(anHourLater.input.outages.first?.from == Office.localNow(in: config.site.timeZone, at: last))

        // status: the device that called is offline at that now; the one that never called says so once.
        let text = ADMSStatus.of(adms, now: last.addingTimeInterval(3_600)).text
        #expect(text.contains("  SN1 reader 2: OFFLINE, last call 2026-11-02T08:00:00Z from 10.0.0.2, last punch none\n"), "\(text)")
        #expect(text.contains("  SN2 reader 4: never called, last punch none\n"), "\(text)")
        #expect(!text.contains("never,"))
    }
}
