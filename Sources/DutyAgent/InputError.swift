import ConfigSupport

/// A problem with an input file or the configuration, located as precisely as the reader knows:
/// file, line, field (or config key) and what was wrong; `file:line: field: message`. The one
/// located-error type of `ConfigSupport`, shared with the collector's config.
typealias InputError = LocatedError
