import ArgumentParser
import Foundation
import Logging

/// `--config FILE`, shared by every command that needs the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The collector's TOML config, every key in docs/collector.md (default: none; SQLite in ./duty-collector.sqlite).",
        valueName: "file"))
    var config: String?

    /// The configuration from the file (if any) and the environment.
    func load() throws -> CollectorConfig {
        try CollectorConfig.load(path: config)
    }
}

/// Opens the store the configuration names (SQLite file or PostgreSQL URL) and applies the
/// migrations. Every command that touches the database goes through here; the store logs through
/// the command's `logger`. With `clientRun: .service` a PostgreSQL store's pool is a `Service` the
/// caller runs in its `ServiceGroup` (`serve`); otherwise it runs until `close()`.
///
/// - Throws: `StoreOpenError` naming the database (password masked) when it cannot be opened or reached.
func openStore(config: CollectorConfig, logger: Logger = commandLogger(),
               clientRun: PostgresStore.ClientRun = .ownTask) async throws -> any CollectorStore {
    do {
        switch config.database {
        case .sqlite(let path): return try await SQLiteStore.open(path: path)
        case .postgres(let url): return try await PostgresStore.open(url: url, logger: logger, clientRun: clientRun)
        }
    } catch {
        throw StoreOpenError(database: config.database.description, reason: "\(error)")
    }
}

/// The database named in the configuration could not be opened.
struct StoreOpenError: Error, CustomStringConvertible {
    var database: String
    var reason: String
    var description: String { "cannot open the database \(database): \(reason)" }
}

/// Runs `body` with a store opened from `config` and closes the store afterwards, also on error.
func withStore<T>(config: CollectorConfig, _ body: (any CollectorStore) async throws -> T) async throws -> T {
    let store = try await openStore(config: config)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// A logger for the commands: level from `DUTY_COLLECTOR_LOG_LEVEL` (default info; the agent reads `DUTY_AGENT_LOG_LEVEL`).
func commandLogger(_ label: String = "duty-collector") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["DUTY_COLLECTOR_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
    return logger
}
