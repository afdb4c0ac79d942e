import Foundation
import Shared

/// The rules of a console account, checked the same way by `users add` and the admin's users page.
enum UserRegistration {
    /// A rule an account breaks; `field` names the option or form field.
    struct Problem: Error, Equatable, CustomStringConvertible {
        var field: String
        var message: String
        var description: String { "\(field): \(message)" }
    }

    /// The account's name, units and person, checked against its role:
    /// - name: 1 to 64 characters, no spaces at either end, no control characters;
    /// - `admin`: no units, no person; `hr`: units optional (none: the whole organisation), no person;
    /// - `manager`: at least one unit, no person; `staff`: a person id, no units.
    static func validate(name: String, role: UserRole, units: [String], person: String?) throws(Problem)
        -> (name: String, units: [UnitPath], person: String?)
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Problem(field: "name", message: "the name is empty") }
        guard name.count <= 64 else { throw Problem(field: "name", message: "the name is longer than 64 characters") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem(field: "name", message: "the name contains a control character")
        }
        let paths = units.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(UnitPath.init)
        if let empty = paths.first(where: { $0.components.isEmpty }) {
            throw Problem(field: "units", message: "\"\(empty)\" is not a unit path")
        }
        let person = person?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        switch role {
        case .admin:
            guard paths.isEmpty else { throw Problem(field: "units", message: "an admin sees everything: give no units") }
            guard person == nil else { throw Problem(field: "person", message: "only a staff account is linked to a person") }
        case .hr:
            guard person == nil else { throw Problem(field: "person", message: "only a staff account is linked to a person") }
        case .manager:
            guard !paths.isEmpty else { throw Problem(field: "units", message: "a manager needs at least one unit subtree") }
            guard person == nil else { throw Problem(field: "person", message: "only a staff account is linked to a person") }
        case .staff:
            guard let person else { throw Problem(field: "person", message: "a staff account needs the person id it is") }
            guard paths.isEmpty else { throw Problem(field: "units", message: "a staff account sees only its own person: give no units") }
            return (name, [], person)
        }
        return (name, paths, nil)
    }
}
