import ArgumentParser
import ConfigSupport
import Foundation

/// Where a report goes: a file (`OutputFile`: a regular file replaced atomically, a device, FIFO or
/// link's target written in place) or standard output.
enum ReportOutput {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try OutputFile.write(Data(text.utf8), to: path)
        } catch {
            throw ValidationError("--output \(path): cannot \(error.operation) the file: \(error.reason)")
        }
    }
}
