import Foundation

/// When each reader that pushes last called the agent: the ADMS receiver records it; the alert
/// judging asks it for `reader_offline` alerts and to leave instances at offline post readers
/// unjudged. `duty-agent run` passes its `ADMSReceiver`; without `[adms]`, `NoReaderLastSeen`.
protocol ReaderLastSeen: Sendable {
    /// The last call of every reader that pushes, by reader id (the `[[reader]]` id of the device).
    func lastCalls() async -> [String: Date]
    /// How long each reader may stay silent before it is offline, by reader id: the receiver's own
    /// limit (`[[adms.device]] offline_minutes`, else `[adms] offline_minutes`), so that `status`
    /// and the `reader_offline` alert call the same reader offline at the same moment. Every
    /// reader of `lastCalls` has one (`[alerts] offline_minutes` is deprecated and ignored).
    func offlineLimits() async -> [String: TimeInterval]
}

/// No reader pushes: no reader is ever offline.
struct NoReaderLastSeen: ReaderLastSeen {
    func lastCalls() async -> [String: Date] { [:] }
    func offlineLimits() async -> [String: TimeInterval] { [:] }
}
