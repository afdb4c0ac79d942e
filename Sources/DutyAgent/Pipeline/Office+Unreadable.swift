import Foundation
import Shared

extension Office {
    /// Tries every input file on its own and returns the error of each one that cannot be read
    /// at all (a missing header, an unknown badge format, bad JSON), so `validate` can list them
    /// all where `load` stops at the first.
    static func unreadableInputs(_ config: AgentConfig) -> [InputError] {
        let inputs = config.inputs
        var attempts: [() throws -> Void] = [
            { _ = try PeopleFileReader.read(contentsOf: inputs.people.url, displayName: inputs.people.display) },
        ]
        for file in inputs.holidays {
            attempts.append { _ = try HolidayFileReader.read(contentsOf: file.url, displayName: file.display) }
        }
        for file in inputs.badges {
            attempts.append { _ = try BadgeFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0, format: file.format) }
        }
        if let file = inputs.roster {
            attempts.append { _ = try RosterFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0) }
        }
        if let file = inputs.leaves {
            attempts.append { _ = try LeavesFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0) }
        }
        var errors: [InputError] = []
        for attempt in attempts {
            do {
                try attempt()
            } catch let error as InputError {
                errors.append(error)
            } catch {
                errors.append(InputError(file: config.file, message: "\(error)"))
            }
        }
        return errors
    }
}
