import Foundation
import Shared

/// The plain webhook's JSON (docs/alerts.md): the alert's facts with snake_case keys, plus the
/// title and sentence a person reads.
struct WebhookPayload: Codable, Equatable {
    var id: String
    var kind: String
    var title: String
    var text: String
    var language: String
    var site: String
    var person: String?
    var name: String?
    var unit: String?
    var date: String?
    var shift: String?
    var shiftName: String?
    var posts: [String]
    var since: String
    var until: String?
    var due: String
    var minutes: Int?
    var reader: String?
    var evidence: [Evidence]

    init(_ a: DutyAlert, title: String, text: String, language: Language) {
        id = a.id
        kind = a.kind.rawValue
        self.title = title
        self.text = text
        self.language = language.rawValue
        site = a.site
        person = a.person
        name = a.name
        unit = a.unit?.description
        date = a.date?.description
        shift = a.shift
        shiftName = a.shiftName
        posts = a.posts
        since = a.since.description
        until = a.until?.description
        due = a.due.description
        minutes = a.minutes
        reader = a.reader
        evidence = a.evidence
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
