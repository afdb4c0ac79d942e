import Foundation
import Testing
@testable import DutyAgent

/// `Wake`, the one wake-up of the daemon's loops (scanner, alert judging, senders). A wait of an
/// hour that returns proves the poke (or the cancellation) ended it: the suite's time limit is the
/// only clock.
@Suite(.timeLimit(.minutes(1))) struct WakeTests {
    @Test func aPokeWhileNobodyWaitsIsKeptForTheNextWaitOnce() async {
        let wake = Wake()
        wake.poke()
        wake.poke()
        #expect(await wake.wait(upTo: 3_600))   // returns at once: the poke was kept
        // The two pokes gave one early return: this one ends by its timer, not by a poke kept twice.
        #expect(await wake.wait(upTo: 0.05) == false)
        wake.poke()
        #expect(await wake.wait(upTo: 0))       // a kept poke wins over a timer already run out
    }

    @Test func pokesEndWaitsInProgressInOtherTasks() async {
        let wake = Wake()
        async let first = wake.wait(upTo: 3_600)
        async let second = wake.wait(upTo: 3_600)
        let poker = Task {
            while !Task.isCancelled {
                wake.poke()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let poked = await (first, second)
        poker.cancel()
        #expect(poked.0 && poked.1)
    }

    @Test func cancellingTheWaitingTaskEndsItsWait() async {
        let wake = Wake()
        let waiting = Task { await wake.wait(upTo: 3_600) }
        waiting.cancel()
        #expect(await waiting.value == false)
    }

    @Test func aWaitWithoutPokeReturnsWhenItsTimeIsUp() async {
        let wake = Wake()
        #expect(await wake.wait(upTo: 0.05) == false)
        #expect(await wake.wait(upTo: 0) == false)
    }
}
