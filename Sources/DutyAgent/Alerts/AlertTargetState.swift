import Foundation

/// What `status` shows about a target, kept in `<queue>/<target>/state.json`.
struct AlertTargetState: Codable, Sendable, Equatable {
    var target: String
    var kind: String
    var lastSuccess: Date?
    var lastFailure: Date?
    var lastError: String?
    /// Failures since the last success.
    var failures = 0
}
