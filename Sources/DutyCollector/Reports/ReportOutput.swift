import ArgumentParser
import Foundation

/// Where a report goes: a file (written whole, then renamed into place) or standard output.
enum ReportOutput {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("--output \(path): cannot write the file: \(error.localizedDescription)")
        }
    }
}
