/// The badge log formats the agent reads, detected from a file's content.
enum BadgeFormat: String, Sendable, CaseIterable {
    /// ZKTeco USB export `N_attlog.dat`: `PIN, time, deviceId, state, verify, workcode`.
    case zktecoAttlog = "zkteco-attlog"
    /// ZKTeco ADMS push `ATTLOG` records: `PIN, time, state, verify, workcode, …`.
    case zktecoADMS = "zkteco-adms"
    /// A CSV export with a header row (English or Chinese column names).
    case csv
    /// One JSON object a line.
    case jsonLines = "jsonl"
}
