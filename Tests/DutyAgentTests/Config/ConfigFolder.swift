import Foundation

/// A temporary folder holding an agent config and the files it names, removed by `remove()`.
struct ConfigFolder {
    let url: URL

    /// A new folder with `agent.toml` holding `toml`, and `files` (relative path → content).
    init(_ toml: String, files: [String: String] = ConfigFolder.defaultFiles) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try write("agent.toml", toml)
        for (path, content) in files { try write(path, content) }
    }

    /// The config file's path.
    var configPath: String { url.appendingPathComponent("agent.toml").path }

    /// Writes `content` at `path` under the folder.
    func write(_ path: String, _ content: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: file)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// A people list and two badge files.
    static let defaultFiles = [
        "people.csv": "id,name,unit\n1001,张伟,市场监管局/办公室\n1002,王芳,市场监管局/食品科\n",
        "badges/1_attlog.dat": "     1001\t2026-11-02 08:55:00\t1\t0\t1\t0\n",
        "badges/2_attlog.dat": "     1002\t2026-11-02 09:01:00\t2\t0\t1\t0\n",
    ]

    /// A valid config over `defaultFiles`.
    static let validTOML = """
        [site]
        id = "test-site"
        name = "测试局"

        [inputs]
        people = "people.csv"
        badges = ["badges/*.dat"]

        [rules]
        grace_late = 5

        [[reader]]
        id = "2"
        post = "duty-room"
        direction = "in"

        [[shift]]
        code = "day"
        start = "09:00"
        end = "17:30"
        breaks = ["12:00-13:30"]

        [[shift]]
        code = "night-duty"
        kind = "duty"
        start = "20:00"
        end = "08:00"
        breaks = ["02:00-03:00"]
        posts = ["duty-room"]

        [[schedule]]
        units = ["市场监管局"]
        shift = "day"

        """
}
