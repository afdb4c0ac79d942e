import Foundation

/// The agent's config, parsed again only when it may have changed, for the loops that look at it
/// every second (the live alerts' input watcher and judging): the change is noticed with `stat`
/// alone, from the config file's size and time and the times of the folders its globs list (a
/// badge export added, removed or renamed changes its folder's time), and the names of the ADMS
/// journal's files. A parse at least every `maxAgeSeconds` covers what those folders cannot show (a glob
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
    /// The ADMS journal's folder is stamped by the names in it instead: the receiver rewrites its
    /// state file there on every call of a device, which changes the folder's time.
    static func key(_ path: String, _ config: AgentConfig) -> [String: FileStamp] {
        func folder(of url: URL) -> String { url.deletingLastPathComponent().standardizedFileURL.path }
        var folders: Set<String> = [folder(of: URL(fileURLWithPath: path))]
        for file in config.inputs.badges + config.inputs.holidays { folders.insert(folder(of: file.url)) }
        let journal = config.adms?.journal.standardizedFileURL.path
        if let journal { folders.insert(journal) }
        var key: [String: FileStamp] = [:]
        key[path] = FileStamp(URL(fileURLWithPath: path))
        for folder in folders {
            if folder == journal {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                    .filter { !$0.hasPrefix(".") }.sorted().joined(separator: "\n")
                key[folder + "/"] = FileStamp(size: Int64(bitPattern: FNV1a.of(names.utf8)), modified: nil)
            } else {
                key[folder + "/"] = FileStamp(URL(fileURLWithPath: folder))
            }
        }
        return key
    }
}
