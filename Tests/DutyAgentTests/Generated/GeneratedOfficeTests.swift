import Foundation
import Testing

/// `duty-agent check` against the truth written by scripts/generate-office.py: every injected
/// anomaly is found with its minutes, nothing else is charged, whole-day leaves are excused,
/// and the corrupted rows and the unknown badge are reported.
@Suite(.serialized) struct GeneratedOfficeTests {
    /// Generated offices, written afresh into a temporary folder: three weeks over the National
    /// Day holidays of 2026 (make-up working days on Sunday 09-20 and Saturday 10-10), and five
    /// busier weeks over the Spring Festival (make-up Saturdays 02-14 and 02-28) with three
    /// office readers.
    @Test(arguments: [
        ["--people", "30", "--days", "22", "--start", "2026-09-19", "--seed", "7"],
        ["--people", "60", "--days", "35", "--start", "2026-01-26", "--seed", "19", "--anomaly-rate", "0.08",
         "--readers", "3"],
    ])
    func generatedOfficeMatchesItsTruth(_ options: [String]) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dutywatch-generated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try AgentExecutable.generateOffice(options + ["--out", folder.path])
        try expectCheckMatchesTruth(in: folder)
    }

    /// The committed example office that the README's first command runs.
    @Test func exampleOfficeMatchesItsTruth() throws {
        try expectCheckMatchesTruth(in: AgentExecutable.packageRoot.appendingPathComponent("config/example"))
    }

    /// The generator is deterministic: the same seed writes the same office.
    @Test func generatorIsDeterministicForASeed() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        var truths: [Data] = []
        var badges: [Data] = []
        for copy in ["a", "b"] {
            let folder = base.appendingPathComponent(copy)
            try AgentExecutable.generateOffice([
                "--people", "12", "--days", "10", "--start", "2026-11-02", "--seed", "3", "--out", folder.path,
            ])
            truths.append(try Data(contentsOf: folder.appendingPathComponent("truth.json")))
            badges.append(try Data(contentsOf: folder.appendingPathComponent("badges/1_attlog.dat")))
        }
        #expect(truths[0] == truths[1])
        #expect(badges[0] == badges[1])
    }

    private func expectCheckMatchesTruth(in folder: URL) throws {
        let truth = try OfficeTruth(truthFile: folder.appendingPathComponent("truth.json"))
        #expect(!truth.charged.isEmpty, "the truth of \(folder.path) injects no anomaly")
        let agent = try AgentExecutable.locate()
        let config = folder.appendingPathComponent("agent.toml").path
        let done = try agent.run([
            "check", "--config", config, "--from", truth.from, "--to", truth.to, "--format", "json",
        ])
        try #require(done.status == 0, "duty-agent check exited \(done.status): \(done.stderr.suffix(2000))")
        let reported = try OfficeTruth(checkOutput: done.stdout)
        let differences = truth.differences(from: reported)
        #expect(differences.isEmpty, "duty-agent check on \(folder.lastPathComponent) differs from truth.json:\n\(differences.joined(separator: "\n"))")
    }
}
