import Foundation

/// When each reader that pushes last called the agent: the ADMS receiver records it; the alert
/// judging asks it for `reader_offline` alerts and to leave instances at offline post readers
/// unjudged. Connected to the receiver at merge; until then `NoReaderLastSeen`.
protocol ReaderLastSeen: Sendable {
    /// The last call of every reader that pushes, by reader id (the `[[reader]]` id of the device).
    func lastCalls() async -> [String: Date]
}

/// No reader pushes: no reader is ever offline.
struct NoReaderLastSeen: ReaderLastSeen {
    func lastCalls() async -> [String: Date] { [:] }
}
