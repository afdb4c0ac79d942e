import ArgumentParser
import ConfigSupport
import Foundation
import Shared

/// `duty-agent check`: reads every input, judges the business dates and prints the anomaly digest.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find the anomalies of the given business dates and print the digest.",
        discussion: """
            Without --from and --to the dates are those the punches cover. --to D also says that the
            data is complete through D: no instance of D or earlier is left pending. Exits 0 even
            when anomalies are found, 1 on a configuration or input error.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "First business date (yyyy-MM-dd); default: the first date with punches.")
    var from: String?

    @Option(help: "Last business date (yyyy-MM-dd); the data is complete through it. Default: the last date with punches.")
    var to: String?

    @Option(help: "table, json, csv or markdown.")
    var format: DigestFormat = .table

    @Option(help: "Write the digest to this file instead of standard output.")
    var output: String?

    @Option(help: "Labels in zh (Chinese) or en (English).", transform: Language.argument)
    var lang: Language = .zh

    @Flag(help: "Show the file and line of every punch in the table digest.")
    var sources = false

    func validate() throws {
        let f = try CivilDate.argument(from, option: "--from")
        let t = try CivilDate.argument(to, option: "--to")
        if let f, let t, f > t { throw ValidationError("--from \(f) is after --to \(t)") }
    }

    func run() throws {
        let progress = TerminalProgress.make()
        do {
            let report = try Self.report(configPath: options.config, from: CivilDate.argument(from, option: "--from"),
                                         to: CivilDate.argument(to, option: "--to"), now: nil, progress: progress)
            progress?.finish()
            try Self.write(report, format: format, language: lang, sources: sources, to: output)
        } catch let error as InputError {
            progress?.finish()
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Writes the digest of `report` to the file `output` (replaced only once it is whole) or to
    /// standard output, in pieces as it is made rather than as one text.
    static func write(_ report: DigestReport, format: DigestFormat, language: Language, sources: Bool,
                      to output: String?) throws {
        let file: OutputFile.Stream?
        do throws(OutputFileError) {
            file = try output.map { path throws(OutputFileError) in try OutputFile.open(path) }
        } catch {
            throw digestFileError(output ?? "", error)
        }
        let put: (ArraySlice<UInt8>) throws -> Void = { bytes in
            guard let file, let output else {
                FileHandle.standardOutput.write(Data(bytes))
                return
            }
            do throws(OutputFileError) {
                try file.write(bytes)
            } catch {
                throw digestFileError(output, error)
            }
        }
        switch format {
        case .json: try JSONDigest.write(report, to: put)
        case .table: try put(ArraySlice(TableDigest.render(report, language: language, sources: sources).utf8))
        case .markdown: try put(ArraySlice(MarkdownDigest.render(report, language: language).utf8))
        case .csv: try put(ArraySlice(CSVDigest.render(report, language: language).utf8))
        }
        do throws(OutputFileError) {
            try file?.commit()
        } catch {
            throw digestFileError(output ?? "", error)
        }
    }

    private static func digestFileError(_ path: String, _ error: OutputFileError) -> InputError {
        InputError(file: path, field: "--output", message: "cannot \(error.operation) the digest file: \(error.reason)")
    }

    /// The longest range `check` judges at once: three years (a bounded run whatever the dates asked).
    static let maxDays = 1_096

    /// Loads the office and judges `from...to` (by default the dates the punches cover, at most `maxDays`).
    static func report(configPath: String, from: CivilDate?, to: CivilDate?, now: LocalDateTime?,
                       progress: (any ProgressReporter)?) throws -> DigestReport {
        let config = try AgentConfig.load(path: configPath)
        let office = try Office.load(config, progress: progress)
        let now = now ?? Office.localNow(in: config.site.timeZone)
        // Punches dated in the future (a clock running ahead) do not extend the default dates.
        let dates = office.punchDates(notAfter: now)
        guard let first = from ?? dates?.lowerBound, let last = to ?? dates?.upperBound else {
            throw InputError(file: configPath, field: "inputs.badges",
                             message: "no punch in the badge files is dated between 2001 and now; give --from and --to to judge dates anyway")
        }
        let end = max(first, last)
        let days = end.dayNumber - first.dayNumber + 1
        guard days <= maxDays else {
            let given = from != nil && to != nil ? "--from \(first) --to \(end)" : "the dates the punches cover, \(first) to \(end),"
            throw InputError(file: configPath, field: "--from/--to",
                             message: "\(given) span \(days) days; check judges at most \(maxDays) days (three years) "
                                + "at a time: give --from and --to within that")
        }
        progress?.update("judging \(first) to \(end), \(office.punchCount) punches")
        let evaluation = office.evaluate(from: first, to: end, completeThrough: to, now: now)
        return DigestReport(siteID: config.site.id, siteName: config.site.name, from: first, to: end,
                            completeThrough: to, evaluation: evaluation, ingestQuality: office.quality,
                            files: office.badgeFiles.count, punches: office.punchCount)
    }
}
