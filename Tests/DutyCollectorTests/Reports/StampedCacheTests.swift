import Foundation
import Testing
@testable import DutyCollector

/// `StampedCache`: one build for simultaneous requests, the older value while the current one is
/// built (only when allowed and only when no decision changed), and never an older build's value
/// over a newer one.
@Suite("Stamped cache")
struct StampedCacheTests {
    static func stamp(_ data: String, decisions: String = "d1") -> StampedCache.Stamp {
        StampedCache.Stamp(data: data + "/" + decisions, decisions: decisions)
    }

    @Test func simultaneousRequestsShareOneBuild() async throws {
        let cache = StampedCache(patience: .zero)
        let gate = Gate()
        async let first = cache.value(for: "k", stamp: Self.stamp("a")) { await gate.pass(); return 1 }
        await gate.waitForArrivals(1)
        async let second = cache.value(for: "k", stamp: Self.stamp("a")) { await gate.pass(); return 2 }
        while await cache.shared < 1 { await Task.yield() }
        await gate.open()
        let (a, b) = try await (first, second)
        #expect(a.value == 1 && b.value == 1 && a.current && b.current)
        #expect(await cache.builds == 1)
        #expect(await gate.arrivals == 1, "the second request did not build")
    }

    @Test func theOlderValueWhileTheCurrentIsBuiltOnlyWhenAllowedAndNoDecisionChanged() async throws {
        let cache = StampedCache(patience: .zero)
        #expect(try await cache.value(for: "k", stamp: Self.stamp("a")) { 1 }.value == 1)

        // New data: the older value at once, marked so; the current one built behind it.
        let gate = Gate()
        let older = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { await gate.pass(); return 2 }
        #expect(older.value == 1 && !older.current)
        // Asked again while it is built: the older value again, and no second build.
        let again = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { 99 }
        #expect(again.value == 1 && !again.current)
        await gate.open()
        await cache.settle()
        let current = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { 99 }
        #expect(current.value == 2 && current.current)
        #expect(await cache.builds == 2)
        #expect(await cache.olderServed == 2)

        // Not allowed (a download, the API): waits for the current value.
        let waited = try await cache.value(for: "k", stamp: Self.stamp("c")) { 3 }
        #expect(waited.value == 3 && waited.current)
        // A decision since (a review, an agent added or revoked): waits too, even where allowed.
        let decided = try await cache.value(for: "k", stamp: Self.stamp("c", decisions: "d2"), olderAllowed: true) { 4 }
        #expect(decided.value == 4 && decided.current)
    }

    @Test func whileDataKeepsArrivingOneBackgroundBuildRunsAtATime() async throws {
        let cache = StampedCache(patience: .zero)
        #expect(try await cache.value(for: "k", stamp: Self.stamp("a")) { 1 }.value == 1)
        let gate = Gate()
        _ = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { await gate.pass(); return 2 }
        await gate.waitForArrivals(1)
        // Newer data while the build for "b" runs: the older value, and no second build beside it.
        let newer = try await cache.value(for: "k", stamp: Self.stamp("c"), olderAllowed: true) { await gate.pass(); return 3 }
        #expect(newer.value == 1 && !newer.current)
        await gate.open()
        await cache.settle()
        #expect(await gate.arrivals == 1, "one build in the background, not one per new stamp")
        // The next request after it builds for the newest data.
        let next = try await cache.value(for: "k", stamp: Self.stamp("c"), olderAllowed: true) { 3 }
        #expect(next.value == 2 && !next.current)
        await cache.settle()
        #expect(try await cache.value(for: "k", stamp: Self.stamp("c"), olderAllowed: true) { 99 }.value == 3)
    }

    @Test func aBuildDoneWithinThePatienceIsWaitedForAndALongerOneIsNot() async throws {
        let cache = StampedCache(patience: .seconds(30))
        #expect(try await cache.value(for: "k", stamp: Self.stamp("a")) { 1 }.value == 1)
        // Quick: the current value, not the older one.
        let quick = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { 2 }
        #expect(quick.value == 2 && quick.current)
        #expect(await cache.olderServed == 0)

        let short = StampedCache(patience: .milliseconds(20))
        #expect(try await short.value(for: "k", stamp: Self.stamp("a")) { 1 }.value == 1)
        let gate = Gate()
        let slow = try await short.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { await gate.pass(); return 2 }
        #expect(slow.value == 1 && !slow.current, "past the patience: the older value, saying so")
        await gate.open()
        await short.settle()
    }

    @Test func anEarlierBuildFinishingLastDoesNotReplaceALaterOne() async throws {
        let cache = StampedCache(patience: .zero)
        let slow = Gate()
        async let early = cache.value(for: "k", stamp: Self.stamp("a")) { await slow.pass(); return 1 }
        await slow.waitForArrivals(1)
        // The data changes while the first build runs: the next request builds under the new stamp.
        let late = try await cache.value(for: "k", stamp: Self.stamp("b")) { 2 }
        #expect(late.value == 2)
        await slow.open()
        #expect(try await early.value == 1)
        let kept = try await cache.value(for: "k", stamp: Self.stamp("b")) { 99 }
        #expect(kept.value == 2 && kept.current)
        #expect(await cache.hits == 1)
    }

    @Test func aFailedBuildIsNotKeptAndTheNextRequestBuildsAgain() async throws {
        struct Broken: Error {}
        let cache = StampedCache(patience: .zero)
        await #expect(throws: Broken.self) {
            _ = try await cache.value(for: "k", stamp: Self.stamp("a")) { () async throws -> Int in throw Broken() }
        }
        #expect(try await cache.value(for: "k", stamp: Self.stamp("a")) { 5 }.value == 5)
        // In the background: the older value stays, and the next request tries again.
        let older = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { () async throws -> Int in
            throw Broken()
        }
        #expect(older.value == 5 && !older.current)
        await cache.settle()
        let next = try await cache.value(for: "k", stamp: Self.stamp("b"), olderAllowed: true) { 6 }
        #expect(next.value == 5 && !next.current)
        await cache.settle()
        #expect(try await cache.value(for: "k", stamp: Self.stamp("b")) { 99 }.value == 6)
    }
}

/// Holds builds until opened, counting those that arrived.
private actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var arrivals = 0

    func pass() async {
        arrivals += 1
        guard !isOpen else { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for c in waiting { c.resume() }
        waiting = []
    }

    func waitForArrivals(_ count: Int) async {
        while arrivals < count { await Task.yield() }
    }
}
