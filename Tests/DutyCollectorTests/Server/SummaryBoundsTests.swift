import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// What an agent token may not do to the store: unbounded unit paths and figures, control
/// characters, two spellings of one unit. Each is refused (or normalised) at the edge.
@Suite struct SummaryBoundsTests {
    static let squad = TestCollector.squad1

    /// A summary of one unit `unit` with one late anomaly there of `minutes` (the unit's figures
    /// say 12, so that only the anomaly is out of bounds).
    static func summary(unit: String, minutes: Int = 12) -> DaySummary {
        var anomaly = Samples.anomaly("1001", .late, unit: squad, minutes: 12)
        anomaly.unit = UnitPath(unit)
        var summary = Samples.summary(units: [unit], anomalies: [anomaly])
        summary.anomalies[0].minutes = minutes
        summary.digest = summary.contentDigest()
        return summary
    }

    @Test func aPathOfFourHundredComponentsIs400AndNothingIsStored() async throws {
        try await TestCollector.run { collector, client in
            let deep = ([Self.squad] + (1...397).map { "组\($0)" }).joined(separator: "/")
            let r = try await client.post(Samples.summary(units: [deep]))
            #expect(r.status == .badRequest)
            #expect(r.json["error"] as? String == "invalid_field")
            #expect(r.json["field"] as? String == "units[0].unit")
            #expect((r.json["message"] as? String)?.contains("400 components") == true)
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
            let sql = try #require(collector.store as? any SQLBackedStore)
            #expect(try await sql.select("SELECT COUNT(*) FROM units", []).first?.int(0) == 0)
        }
    }

    /// JSON may carry U+0000 (`\u0000`); PostgreSQL refuses it in a text column, so such a summary
    /// could never be stored and its agent would send it for ever, and SQLite would cut the name.
    @Test func aNULInAStoredTextIs400NamingTheField() async throws {
        try await TestCollector.run { collector, client in
            var named = Self.summary(unit: Self.squad)
            named.anomalies[0].name = "张\u{0}三"
            named.digest = named.contentDigest()
            let r = try await client.post(named)
            #expect(r.status == .badRequest)
            #expect(r.json["field"] as? String == "anomalies[0].name")
            #expect((r.json["message"] as? String)?.contains("U+0000") == true)

            var excused = Self.summary(unit: Self.squad)
            excused.anomalies[0].reason = "年假\u{0}"
            excused.digest = excused.contentDigest()
            #expect(try await client.post(excused).json["field"] as? String == "anomalies[0].reason")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)

            // The same summary without it is stored.
            #expect(try await client.post(Self.summary(unit: Self.squad)).status == .created)
        }
    }

    @Test func pathsAtTheBoundsAreStoredAndOneBeyondIsNot() async throws {
        try await TestCollector.run { _, client in
            let twelve = ([Self.squad] + (4...UnitPath.maxComponents).map { "组\($0)" }).joined(separator: "/")
            #expect(UnitPath(twelve).components.count == UnitPath.maxComponents)
            #expect(try await client.post(Samples.summary(units: [twelve])).status == .created)

            let thirteen = twelve + "/组13"
            let deep = try await client.post(Samples.summary(date: Samples.day(3), units: [thirteen]))
            #expect(deep.status == .badRequest)
            #expect(deep.json["field"] as? String == "units[0].unit")

            // Few components, too many bytes: 3 + 3 components of 3-byte characters.
            let long = Self.squad + "/" + String(repeating: "长", count: 80)
            #expect(long.utf8.count > UnitPath.maxBytes)
            let bytes = try await client.post(Self.summary(unit: long))
            #expect(bytes.status == .badRequest)
            #expect(bytes.json["field"] as? String == "units[0].unit")
            #expect((bytes.json["message"] as? String)?.contains("bytes") == true)
        }
    }

    @Test func figuresOutOfBoundsAre400NamingTheField() async throws {
        try await TestCollector.run { collector, client in
            let huge = try await client.post(Self.summary(unit: Self.squad, minutes: Int.max))
            #expect(huge.status == .badRequest)
            #expect(huge.json["field"] as? String == "anomalies[0].minutes")

            let day = try await client.post(Self.summary(unit: Self.squad, minutes: 1_441))
            #expect(day.json["field"] as? String == "anomalies[0].minutes")
            #expect(try await client.post(Self.summary(unit: Self.squad, minutes: 1_440)).status == .created)

            var scheduled = Samples.summary(date: Samples.day(3), scheduled: 10)
            scheduled.units[0].scheduled = Int.max
            let s = try await client.post(scheduled)
            #expect(s.status == .badRequest)
            #expect(s.json["field"] as? String == "units[0].scheduled")

            var kinds = Samples.summary(date: Samples.day(3), scheduled: 10)
            kinds.units[0].kinds[.late] = KindFigures(count: 1, minutes: 1_441)
            let k = try await client.post(kinds)
            #expect(k.json["field"] as? String == "units[0].kinds.late.minutes")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(3)) == nil)
        }
    }

    @Test func aControlCharacterInAUnitIs400() async throws {
        try await TestCollector.run { collector, client in
            for text in [Self.squad + "\u{0}", Self.squad + "/a\u{1B}b", Self.squad + "/\u{7F}"] {
                let r = try await client.post(Self.summary(unit: text))
                #expect(r.status == .badRequest)
                #expect(r.json["field"] as? String == "units[0].unit")
                #expect((r.json["message"] as? String)?.contains("control character") == true)
            }
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
    }

    @Test func aUnitSpelledInNFDIsStoredAsTheNFCUnit() async throws {
        try await TestCollector.run { collector, client in
            let nfc = Self.squad + "/Caf\u{E9}"
            let nfd = Self.squad + "/Cafe\u{301}"
            #expect(try await client.post(Self.summary(unit: nfc)).status == .created)
            // The NFD agent's digest is over what it sent; it is accepted and lands on the same unit.
            let second = Self.summary(unit: nfd)
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                          body: Samples.body(DaySummary(agent: second.agent, site: second.site, date: Samples.day(3),
                                                                        revision: 1, generatedAt: second.generatedAt,
                                                                        units: second.units, anomalies: [], quality: [])))
            #expect(r.status == .created)
            let sql = try #require(collector.store as? any SQLBackedStore)
            let units = try await sql.select("SELECT path FROM units ORDER BY path", []).map { $0.text(0) }
            #expect(units.filter { $0.hasSuffix("Caf\u{E9}") }.count == 1)
            #expect(!units.contains { $0.utf8.elementsEqual(nfd.utf8) })
            let figures = try await collector.store.unitFigures(from: Samples.day(1), to: Samples.day(30), under: UnitPath(nfc))
            #expect(figures.count == 1)
            #expect(figures.first?.scheduled == 20)
        }
    }

    @Test func grantsAreBoundedAndKeptInNFC() async throws {
        try await TestCollector.run { collector, client in
            let deep = (1...13).map { "级\($0)" }.joined(separator: "/")
            let r = try await client.postJSON("/api/v1/agents", #"{"id":"office-d","units":["市场监管局","\#(deep)"]}"#,
                                              token: TestCollector.adminToken)
            #expect(r.status == .badRequest)
            #expect(r.json["field"] as? String == "units[1]")
            let nul = try await client.postJSON("/api/v1/agents", #"{"id":"office-d","units":["市场监管局\u0000"]}"#,
                                                token: TestCollector.adminToken)
            #expect(nul.json["field"] as? String == "units[0]")

            // A grant typed in NFD covers the NFC unit, and is stored in NFC.
            let nfd = "Cafe\u{301}"
            let added = try await client.postJSON("/api/v1/agents", #"{"id":"office-e","units":["\#(nfd)"]}"#,
                                                  token: TestCollector.adminToken)
            #expect(added.status == .created)
            let stored = try #require(try await collector.store.agents().first { $0.id == "office-e" })
            #expect(stored.unitPrefixes.map { Array($0.description.utf8) } == [Array("Caf\u{E9}".utf8)])
        }
    }

    @Test func storedFiguresOutOfBoundsDoNotBreakUnitsOrTheBulletin() async throws {
        try await TestCollector.run { collector, client in
            let a = Samples.anomaly("1001", .late, minutes: 5)
            let b = Samples.anomaly("1002", .late, minutes: 1)
            #expect(try await client.post(Samples.summary(anomalies: [a, b])).status == .created)
            #expect(try await client.post(Samples.summary(date: Samples.day(3))).status == .created)
            let sql = try #require(collector.store as? any SQLBackedStore)
            try await sql.write { s in
                try await s.query("UPDATE anomalies SET minutes = ? WHERE id = ?", [.int(Int.max), .text(a.id)])
                try await s.query("UPDATE unit_days SET scheduled = ?", [.int(Int.max)])
            }
            let units = try await client.send(.get, "/api/v1/units?from=2026-11-01&to=2026-11-30", token: TestCollector.adminToken)
            #expect(units.status == .ok)
            let bulletin = try await client.send(.get, "/api/v1/bulletin?month=2026-11", token: TestCollector.adminToken)
            #expect(bulletin.status == .ok)
            let built = try await BulletinBuilder.build(month: "2026-11", under: nil, store: collector.store,
                                                        settings: collector.config.bulletin, now: TestCollector.now)
            for format in BulletinCommand.Format.allCases {
                #expect(try !BulletinCommand.render(built, format: format, language: .zh).isEmpty)
            }
        }
    }
}
