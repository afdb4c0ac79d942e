/// What this build is. A plain `swift build` says it is a development build; `scripts/package.sh`
/// writes a copy of this file with the release's version and commit before its release build and
/// puts this one back afterwards. `version` must equal the repository's VERSION file.
public enum BuildInfo {
    /// The release this source tree is, from the VERSION file.
    public static let version = "0.9.0"
    /// The commit the release was built from (`git rev-parse --short HEAD`, `-dirty` when the tree
    /// had uncommitted changes); nil in a development build.
    public static let commit: String? = nil

    /// What `--version` prints: `0.9.0 (commit 1a2b3c4)` or `0.9.0 (development build)`.
    public static var versionLine: String {
        if let commit { return "\(version) (commit \(commit))" }
        return "\(version) (development build)"
    }
}
