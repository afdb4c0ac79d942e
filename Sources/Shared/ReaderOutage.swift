/// A time during which a reader that pushes its punches in real time (ZKTeco ADMS) did not call
/// the agent: from its last call before the silence to its next call (nil: still silent).
///
/// The agent records these from the devices' calls; the engine leaves unverified the instances of
/// people who rely on the reader whose windows overlap the outage (DESIGN "Real time").
public struct ReaderOutage: Hashable, Sendable, Codable {
    /// The `[[reader]]` id the device is.
    public var reader: String
    /// The device's serial number, for the message.
    public var device: String?
    /// The last call before the silence (site wall-clock time).
    public var from: LocalDateTime
    /// The first call after it; nil while the device is still silent.
    public var to: LocalDateTime?

    public init(reader: String, device: String? = nil, from: LocalDateTime, to: LocalDateTime?) {
        self.reader = reader
        self.device = device
        self.from = from
        self.to = to
    }

    /// `2026-11-30 09:00:00 – 09:42:10`, or `… – now` while open.
    public var interval: String {
        guard let to else { return "\(from) – (still silent)" }
        return "\(from) – " + (to.date == from.date ? to.timeOfDay : to.description)
    }
}
