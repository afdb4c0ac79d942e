import ArgumentParser
import Foundation
import Shared

/// `duty-collector digest [--unit U] [--from D] [--to D] [--format table|markdown|csv|json] [--config F]`:
/// HR's anomaly digest with review states, grouped by unit, person and date.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "List anomalies for HR, with their review state.")

    /// The digest's output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, csv, json
    }

    @Option(help: "Only this unit and the units below it.") var unit: String?
    @Option(help: "First business date, YYYY-MM-DD (default: the first of the month of --to).") var from: String?
    @Option(help: "Last business date, YYYY-MM-DD (default: today).") var to: String?
    @Option(help: "table, markdown, csv or json.") var format: Format = .table
    @Option(help: "zh (default) or en.", transform: Language.argument) var lang: Language = .zh
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, CivilDate(value) == nil { throw ValidationError("\(flag) must be a date YYYY-MM-DD, got \"\(value)\"") }
        }
        if let f = from.flatMap(CivilDate.init), let t = to.flatMap(CivilDate.init), f > t {
            throw ValidationError("--from \(f) is after --to \(t)")
        }
        if let unit, UnitPath(unit).components.isEmpty { throw ValidationError("--unit is empty") }
    }

    func run() async throws {
        let config = try options.load()
        let digest = try await withStore(config: config) { store in
            try await DigestBuilder.build(under: unit.map { UnitPath($0).nfc }, from: from.flatMap(CivilDate.init),
                                          to: to.flatMap(CivilDate.init), store: store, now: Date(),
                                          zone: config.bulletin.zone)
        }
        try ReportOutput.write(try DigestCommand.render(digest, format: format, language: lang), to: output)
    }

    /// The digest in `format`.
    static func render(_ d: Digest, format: Format, language: Language) throws -> String {
        switch format {
        case .table: DigestRenderer.table(d, language: language)
        case .markdown: DigestRenderer.markdown(d, language: language)
        case .csv: DigestRenderer.csv(d, language: language)
        case .json: try ReportJSON.encode(d)
        }
    }
}
