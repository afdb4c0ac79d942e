import ArgumentParser
import Foundation
import Shared

/// `duty-collector users add|list|disable|reset`: the console's accounts.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Add, list, disable console users and reset their passwords.",
        subcommands: [Add.self, List.self, Disable.self, Reset.self])

    /// The actor named in the audit events of these commands.
    static let actor = "duty-collector users"

    /// `users add --name N --role R [--units U...] [--person ID] [--password-stdin]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a console user; without --password-stdin print a generated initial password once.")

        @Option(help: "The sign-in name.") var name: String
        @Option(help: "admin, hr, manager or staff.") var role: UserRole
        @Option(parsing: .upToNextOption, help: "Unit subtrees an hr or manager user sees (hr: the whole organisation if none).")
        var units: [String] = []
        @Option(help: "The person id a staff user is.") var person: String?
        @Flag(help: "Read the password from the first line of standard input instead of generating one.")
        var passwordStdin = false
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let account: (name: String, units: [UnitPath], person: String?)
            do {
                account = try UserRegistration.validate(name: name, role: role, units: units, person: person)
            } catch {
                throw ValidationError("--\(error.field): \(error.message)")
            }
            let password = try UsersCommand.password(fromStdin: passwordStdin, name: account.name)
            let config = try options.load()
            let hash = try await Passwords().hash(password)
            let now = Date()
            let user = NewUser(name: account.name, role: role, units: account.units, person: account.person,
                               passwordHash: hash, createdAt: now)
            try await withStore(config: config) { store in
                do {
                    _ = try await store.addUser(user)
                } catch StoreError.conflict {
                    throw CommandFailure("a user named \(account.name) exists in \(config.database)")
                }
                try await store.record(ConsoleEvent(kind: .userAdded, subject: account.name, actor: UsersCommand.actor,
                                                    address: nil, detail: UsersCommand.describe(user), at: now))
            }
            if !passwordStdin { print(password) }
            FileHandle.standardError.write(Data("""
                user \(account.name) added (\(UsersCommand.describe(user))) in \(config.database)
                \(passwordStdin ? "" : "The password above is shown once: hand it to the user, who should change it after signing in.\n")
                """.utf8))
        }
    }

    /// `users list [--format table|json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List console users with their role, scope and state.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
        @Option(help: "table or json.") var format: Format = .table
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            let users = try await withStore(config: config) { try await $0.users() }
            print(UserTable.render(users, format: format == .json ? .json : .table), terminator: "")
        }
    }

    /// `users disable --name N`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a console user: their sessions end at once; their history stays.")

        @Option(help: "The sign-in name.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            try await withStore(config: config) { store in
                guard try await store.disableUser(name: name, at: Date()) else {
                    throw CommandFailure("no user is named \(name) in \(config.database)")
                }
                try await store.record(ConsoleEvent(kind: .userDisabled, subject: name, actor: UsersCommand.actor,
                                                    address: nil, detail: "", at: Date()))
            }
            print("user \(name) disabled")
        }
    }

    /// `users reset --name N [--password-stdin]`.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password (generated and printed once, or from standard input); re-enables the user and ends their sessions.")

        @Option(help: "The sign-in name.") var name: String
        @Flag(help: "Read the password from the first line of standard input instead of generating one.")
        var passwordStdin = false
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let password = try UsersCommand.password(fromStdin: passwordStdin, name: name)
            let config = try options.load()
            let hash = try await Passwords().hash(password)
            try await withStore(config: config) { store in
                guard let user = try await store.user(name: name) else {
                    throw CommandFailure("no user is named \(name) in \(config.database)")
                }
                let now = Date()
                _ = try await store.setPassword(userID: user.id, hash: hash, at: now)
                try await store.record(ConsoleEvent(kind: .passwordReset, subject: name, actor: UsersCommand.actor,
                                                    address: nil, detail: "", at: now))
            }
            if !passwordStdin { print(password) }
            FileHandle.standardError.write(Data("password of \(name) reset; earlier sessions have ended\n".utf8))
        }
    }

    /// The password from standard input's first line, or a generated one; a `ValidationError`
    /// when the given one breaks a rule.
    static func password(fromStdin: Bool, name: String) throws -> String {
        guard fromStdin else { return Passwords.generate() }
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("--password-stdin: standard input is empty")
        }
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        if let problem = Passwords.problem(with: password, name: name) { throw ValidationError("--password-stdin: \(problem)") }
        return password
    }

    /// "hr, units 市场监管局/执法大队" and the like, for messages and the audit events.
    static func describe(_ user: NewUser) -> String {
        var parts = [user.role.rawValue]
        if !user.units.isEmpty { parts.append("units " + user.units.map(\.description).joined(separator: ", ")) }
        if let person = user.person { parts.append("person \(person)") }
        return parts.joined(separator: ", ")
    }
}

extension UserRole: ExpressibleByArgument {}
