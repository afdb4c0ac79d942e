import ArgumentParser
import Foundation
import Logging
import Shared

/// `duty-agent push`: decide what is complete, spool it, send what waits once, and say what is left.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Spool the decided days and send what waits to the collector, once.",
        discussion: """
            Each summary is tried a few times with a short backoff; the first one that still cannot be
            delivered stops the pass, so dates arrive in order. Exits 0 when the spool is empty
            afterwards, 1 when anything is left, was refused, or the inputs could not be read.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Tries per summary before giving up on this pass.")
    var attempts: Int = 4

    func validate() throws {
        if attempts < 1 { throw ValidationError("--attempts must be 1 or more") }
    }

    func run() async throws {
        let logger = Delivery.bootstrapLogging()
        let delivery = try Delivery.buildForCommand(configPath: options.config, logger: logger)
        // A file set aside when the spool was opened (corrupt, or not written by this agent) is a failure too.
        var failed = !delivery.spool.problemsAtOpen.isEmpty
        for problem in delivery.spool.problemsAtOpen { printError("spool: \(problem)") }
        do {
            let outcome = try await delivery.scanner.scan()
            if let full = outcome.full {
                printError("spool full: \(full); later dates wait until space returns")
                failed = true
            }
        } catch {
            printError("error: \(error); sending what the spool holds")
            failed = true
        }
        let drain = SpoolDrain(sender: delivery.sender)
        var report = await drain.once(attempts: attempts, backoff: Backoff(base: 0.5, cap: 5))
        if report.corrupt > 0, report.stoppedBecause == nil {
            // A file that did not read back: its date is derived again and sent in a second pass.
            _ = try? await delivery.scanner.scan()
            let again = await drain.once(attempts: attempts, backoff: Backoff(base: 0.5, cap: 5))
            report = SpoolDrain.Report(delivered: report.delivered + again.delivered, setAside: report.setAside + again.setAside,
                                       corrupt: report.corrupt + again.corrupt, left: again.left,
                                       stoppedBecause: again.stoppedBecause)
        }
        print("sent \(report.delivered), set aside \(report.setAside.count), left \(report.left)")
        for reason in report.setAside { printError("set aside: \(reason)") }
        if report.corrupt > 0 {
            printError("\(report.corrupt) spool file(s) set aside in corrupt/ (unreadable, or not written by this agent); "
                       + "their dates are derived again")
        }
        if let why = report.stoppedBecause { printError("stopped: \(why)") }
        if failed || report.left > 0 || !report.setAside.isEmpty || report.corrupt > 0 { throw ExitCode.failure }
    }
}
