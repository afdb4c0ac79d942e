import ArgumentParser
import ConfigSupport
import Foundation
import Shared

extension Language {
    /// Parses `--lang`: zh or en.
    static func argument(_ text: String) throws -> Language {
        guard let language = Language(rawValue: text) else {
            throw ValidationError("--lang \(text): write zh (Chinese) or en (English)")
        }
        return language
    }
}

/// `duty-collector bulletin --month YYYY-MM [--unit U] [--format html|markdown|csv|json] [--lang zh|en]
/// [--output F] [--config F]`: the monthly bulletin (月度通报), written to standard output or a file.
struct BulletinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin", abstract: "Compile the monthly bulletin (月度通报).")

    /// The bulletin's output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, markdown, csv, json
    }

    @Option(help: "The month, YYYY-MM (for example 2026-11).") var month: String
    @Option(help: "Only this unit and the units below it (市场监管局/执法大队).") var unit: String?
    @Option(help: "html, markdown, csv or json.") var format: Format = .html
    @Option(help: "zh (default) or en.", transform: Language.argument) var lang: Language = .zh
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard ReportMonth(month) != nil else {
            throw ValidationError("--month must be YYYY-MM (for example 2026-11), got \"\(month)\"")
        }
        if let unit, UnitPath(unit).components.isEmpty { throw ValidationError("--unit is empty") }
    }

    func run() async throws {
        let config = try options.load()
        let under = unit.map { UnitPath($0).nfc }
        let bulletin = try await withStore(config: config) { store in
            try await BulletinBuilder.build(month: month, under: under, store: store, settings: config.bulletin,
                                            review: config.review, now: Date())
        }
        try ReportOutput.write(try BulletinCommand.render(bulletin, format: format, language: lang), to: output)
    }

    /// The bulletin in `format`.
    static func render(_ b: Bulletin, format: Format, language: Language) throws -> String {
        switch format {
        case .html: BulletinHTMLRenderer.render(b, language: language)
        case .markdown: BulletinMarkdownRenderer.render(b, language: language)
        case .csv: BulletinCSVRenderer.render(b, language: language)
        case .json: try ReportJSON.encode(b)
        }
    }
}
