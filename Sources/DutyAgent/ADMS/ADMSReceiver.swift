import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import Shared

/// The ADMS endpoints' logic, apart from HTTP: a request in, the answer out. One actor, so the
/// journal and the state file see one request at a time.
///
/// - `GET /iclock/cdata?SN=…`: the options text (handshake).
/// - `POST /iclock/cdata?SN=…&table=ATTLOG&Stamp=…`: records appended to the reader's journal and
///   fsynced, then `OK: N` (N the lines received, duplicates included). Other tables: `OK: N`, dropped.
/// - `GET /iclock/getrequest?SN=…` (heartbeat): `OK`. `POST /iclock/devicecmd`: `OK`. `GET /iclock/ping`: `OK`.
/// - An unlisted serial: 403, recorded in the state file with its address. A malformed request:
///   400 or 413, logged, nothing stored.
actor ADMSReceiver {
    /// A request as the receiver needs it.
    struct Request: Sendable {
        var method: String
        var path: String
        var query: String
        var body: [UInt8]
        var address: String
    }

    /// The answer: an HTTP status and a text body.
    struct Answer: Sendable, Equatable {
        var status: Int
        var text: String
    }

    let config: ADMSConfig
    let zone: TimeZone
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Called after each durable append with the reader whose journal grew: the run loop judges at
    /// once instead of at the next scan (the duty alerts hook).
    let onDurableAppend: @Sendable (String) async -> Void
    private var journals: [String: ADMSJournal] = [:]
    private var state: ADMSDeviceState

    /// `config` lists the devices and the journal folder; the state file is read from it (a
    /// corrupt one is set aside as `.devices.json.corrupt` and started afresh, with a warning).
    init(config: ADMSConfig, zone: TimeZone, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
         onDurableAppend: @escaping @Sendable (String) async -> Void = { _ in }) throws(SpoolError) {
        self.config = config
        self.zone = zone
        self.logger = logger
        self.clock = clock
        self.onDurableAppend = onDurableAppend
        try DurableFile.makeFolder(config.journal)
        do {
            state = try ADMSDeviceState.read(config.stateFile)
        } catch {
            logger.warning("ADMS device state unreadable: set aside, starting afresh",
                           metadata: ["duty.file": "\(config.stateFile.path)", "duty.error": "\(error)"])
            _ = rename(config.stateFile.path, config.stateFile.path + ".corrupt")
            state = ADMSDeviceState()
        }
        for device in config.devices where journals[device.reader] == nil {
            journals[device.reader] = try ADMSJournal(url: config.journalFile(reader: device.reader))
        }
    }

    /// The state as it is now (tests, status of a running receiver).
    var currentState: ADMSDeviceState { state }

    /// The last call of every reader that pushes, by `[[reader]]` id (the latest of its devices):
    /// what a reader-offline alert reads (it has the shape of the alerts' `ReaderLastSeen`).
    func lastCalls() async -> [String: Date] { state.lastCalls(config) }

    /// Answers one request.
    func handle(_ request: Request) async -> Answer {
        var endpoint = request.path.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
        if endpoint.hasSuffix(".aspx") { endpoint.removeLast(5) }
        guard request.path.lowercased().hasPrefix("/iclock/") else { return Answer(status: 404, text: "not found\n") }
        let query: [String: String]
        do { query = try ADMSRequest.query(request.query) } catch {
            return malformed(request, error)
        }
        let serial = ADMSRequest.value("SN", in: query) ?? ""
        if endpoint == "ping" || (endpoint == "devicecmd" && serial.isEmpty) { return Answer(status: 200, text: "OK\n") }
        guard ADMSRequest.isSerial(serial) else {
            return malformed(request, ADMSProtocolError.badQuery("SN is missing or not a serial number"))
        }
        let now = clock()
        guard let device = config.device(serial: serial) else {
            // A new stranger is written at once; its repeats (every ErrorDelay) at most every few seconds.
            persist(force: state.refuse(serial: serial, address: request.address, now: now))
            logger.warning("ADMS device refused: serial not listed in [[adms.device]]",
                           metadata: ["duty.serial": "\(serial)", "duty.address": "\(request.address)"])
            return Answer(status: 403, text: "unknown device \(serial)\n")
        }
        let offline = config.offlineLimit(device)
        let wasOffline = state.devices[serial]?.lastCall.map { now.timeIntervalSince($0) > offline } ?? false
        if state.call(serial: serial, reader: device.reader, address: request.address, now: now, offline: offline) {
            persist(force: true)
        }
        if wasOffline {
            logger.notice("ADMS device back online", metadata: ["duty.serial": "\(serial)", "duty.reader": "\(device.reader)"])
        }
        switch (request.method, endpoint) {
        case ("GET", "cdata"):
            persist(force: true)
            logger.info("ADMS handshake", metadata: ["duty.serial": "\(serial)", "duty.address": "\(request.address)"])
            let hours = zone.secondsFromGMT(for: now) / 3600
            return Answer(status: 200, text: ADMSRequest.options(serial: serial, stamp: state.devices[serial]?.stamp,
                                                                 timeZoneHours: hours, delaySeconds: 10))
        case ("POST", "cdata"):
            let table = (ADMSRequest.value("table", in: query) ?? "").uppercased()
            guard table == "ATTLOG" else {
                persist()
                let lines = (try? ADMSRequest.lines(request.body).count) ?? 0
                logger.debug("ADMS table dropped", metadata: ["duty.serial": "\(serial)", "duty.table": "\(table)"])
                return Answer(status: 200, text: "OK: \(lines)\n")
            }
            return await upload(request, serial: serial, device: device, stamp: ADMSRequest.value("Stamp", in: query), now: now)
        case ("GET", "getrequest"), ("POST", "getrequest"), ("POST", "devicecmd"), ("GET", "devicecmd"):
            persist()
            return Answer(status: 200, text: "OK\n")
        default:
            persist()
            return Answer(status: 404, text: "not found\n")
        }
    }

    private func upload(_ request: Request, serial: String, device: ADMSDevice, stamp: String?, now: Date) async -> Answer {
        let batch: ATTLOGBatch
        do { batch = try ADMSRequest.attlog(request.body) } catch {
            persist()
            return malformed(request, error)
        }
        guard let journal = journals[device.reader] else { return Answer(status: 500, text: "no journal\n") }
        let added: Int
        do {
            added = try journal.append(batch.records, rejected: batch.rejected, reader: device.reader)
        } catch {
            logger.error("ADMS journal not written: the device will send again",
                         metadata: ["duty.serial": "\(serial)", "duty.file": "\(journal.url.path)", "duty.error": "\(error)"])
            return Answer(status: 503, text: "not stored, try again\n")
        }
        var d = state.devices[serial]!
        if let stamp, !stamp.isEmpty, stamp.utf8.count <= 32 { d.stamp = stamp }
        if let newest = batch.records.map(\.time).max() {
            // A punch uploaded before it happened shows a clock ahead, always. A clock behind shows
            // only in a real-time upload (a few records, less than half a day old): an upload of
            // the device's history or backlog says nothing of its clock.
            let lag = Int(newest.seconds - Office.localNow(in: zone, at: now).seconds)
            if lag > 0 || (batch.records.count <= Self.realTimeRecords && lag > -Self.realTimeLagSeconds) {
                d.driftSamples.append(lag)
                if d.driftSamples.count > ADMSDeviceState.driftSamples { d.driftSamples.removeFirst() }
                d.driftMeasured = now
            }
            if d.lastPunch.map({ newest > $0 }) ?? true { d.lastPunch = newest }
        }
        state.devices[serial] = d
        persist()
        if let hold = Self.answerDelay {
            // Tests: a window between the durable append and the answer, to kill the agent in.
            try? await Task.sleep(for: .milliseconds(hold))
        }
        if !batch.rejected.isEmpty {
            logger.warning("ADMS upload held lines that are not ATTLOG records: kept in the journal as bad lines",
                           metadata: ["duty.serial": "\(serial)", "duty.lines": "\(batch.rejected.count)"])
        }
        logger.info("ADMS punches stored", metadata: [
            "duty.serial": "\(serial)", "duty.reader": "\(device.reader)", "duty.received": "\(batch.lineCount)",
            "duty.new": "\(added)"])
        if added > 0 { await onDurableAppend(device.reader) }
        return Answer(status: 200, text: "OK: \(batch.lineCount)\n")
    }

    /// At most this many records in an upload that measures a clock behind the agent's.
    static let realTimeRecords = 5
    /// A real-time upload's newest punch is younger than this.
    static let realTimeLagSeconds = 12 * 3600

    /// `DUTY_AGENT_ADMS_ANSWER_DELAY_MS`: for tests only, a wait between storing an upload and answering.
    static let answerDelay: Int? = ProcessInfo.processInfo.environment["DUTY_AGENT_ADMS_ANSWER_DELAY_MS"].flatMap(Int.init)

    private func malformed(_ request: Request, _ error: ADMSProtocolError) -> Answer {
        logger.warning("ADMS request refused", metadata: [
            "duty.address": "\(request.address)", "duty.path": "\(request.path)", "duty.error": "\(error)"])
        return Answer(status: error.status, text: "\(error)\n")
    }

    private var lastPersisted: Date?

    /// Writes the state file: at once when `force` (a first call, an outage ended, a refusal, a
    /// handshake), else at most every `persistSeconds`; a call time up to that old is what a crash
    /// can lose (an outage then seems to start a few seconds early: nobody is charged for it).
    /// The punches themselves are durable in the journal before any answer.
    private func persist(force: Bool = false) {
        let now = clock()
        if !force, let last = lastPersisted, now.timeIntervalSince(last) < Self.persistSeconds, now >= last {
            if !flushScheduled {
                // Written within `persistSeconds` even when no call follows.
                flushScheduled = true
                Task {
                    try? await Task.sleep(for: .seconds(Self.persistSeconds))
                    self.flush()
                }
            }
            return
        }
        do {
            try state.write(config.stateFile)
            lastPersisted = now
        } catch {
            logger.error("ADMS device state not written", metadata: ["duty.error": "\(error)"])
        }
    }

    private var flushScheduled = false

    private func flush() {
        flushScheduled = false
        persist(force: true)
    }

    /// How often, at most, the state file is written for calls that change nothing but times.
    static let persistSeconds: TimeInterval = 5
}
