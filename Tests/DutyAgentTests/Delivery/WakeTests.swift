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
        await wake.wait(upTo: 3_600)  // returns at once: the poke was kept
        await wake.wait(upTo: 0.05)   // the two pokes gave one early return: this one runs out its timer
    }

    @Test func pokesEndWaitsInProgressInOtherTasks() async {
        let wake = Wake()
        async let first: Void = wake.wait(upTo: 3_600)
        async let second: Void = wake.wait(upTo: 3_600)
        let poker = Task {
            while !Task.isCancelled {
                wake.poke()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        _ = await (first, second)
        poker.cancel()
    }

    @Test func cancellingTheWaitingTaskEndsItsWait() async {
        let wake = Wake()
        let waiting = Task { await wake.wait(upTo: 3_600) }
        waiting.cancel()
        await waiting.value
    }

    @Test func aWaitWithoutPokeReturnsWhenItsTimeIsUp() async {
        let wake = Wake()
        await wake.wait(upTo: 0.05)
        await wake.wait(upTo: 0)
    }
}
