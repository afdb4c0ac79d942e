import Foundation

/// The agent's config, parsed again only when it may have changed, for the loops that look at it
/// every second (the live alerts' input watcher and judging): the change is noticed with `stat`
/// alone, from the config file's size and time and the times of the folders its globs and the ADMS
/// journal list (a badge export or journal file added, removed or renamed changes its folder's
/// time). A parse at least every `maxAgeSeconds` covers what those folders cannot show (a glob
/// whose deeper folders change).
struct ConfigCache: Sendable {
    let path: String
    /// Parsed again after this long even when nothing looked changed.
    static let maxAgeSeconds: Double = 60

    private(set) var config: AgentConfig?
    private var key: [String: FileStamp] = [:]
    private var parsedAt: Date?
    /// How many times the file was parsed.
    private(set) var parses = 0

    init(path: String) {
        self.path = path
    }

    /// The config as it is now; throws what `AgentConfig.load` throws (and parses again next time).
    mutating func load(now: Date = Date()) throws -> AgentConfig {
        if let config, let parsedAt, now >= parsedAt, now.timeIntervalSince(parsedAt) < Self.maxAgeSeconds,
           Self.key(path, config) == key {
            return config
        }
        let fresh = try AgentConfig.load(path: path)
        config = fresh
        key = Self.key(path, fresh)
        parsedAt = now
        parses += 1
        return fresh
    }

    /// The config file's stamp and the stamps of the folders whose listing makes its file lists.
    static func key(_ path: String, _ config: AgentConfig) -> [String: FileStamp] {
        var folders: Set<String> = [URL(fileURLWithPath: path).deletingLastPathComponent().path]
        for file in config.inputs.badges + config.inputs.holidays {
            folders.insert(file.url.deletingLastPathComponent().path)
        }
        if let adms = config.adms { folders.insert(adms.journal.path) }
        var key: [String: FileStamp] = [:]
        key[path] = FileStamp(URL(fileURLWithPath: path))
        for folder in folders { key[folder + "/"] = FileStamp(URL(fileURLWithPath: folder)) }
        return key
    }
}
