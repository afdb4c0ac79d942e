import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOHTTPTypes
import NIOSSL

/// How the collector listens: HTTP/1.1, over TLS when `[server] tls_cert` and `tls_key` are set,
/// with every wait bounded (idle connections and slow headers by `idle_timeout_s`, a request body
/// by `body_timeout_s`) and the open connections bounded (`max_connections` in all,
/// `max_connections_per_address` from one address).
enum ServerSetup {
    /// The server builder for `settings`; throws `ConfigError` naming the file of a certificate or
    /// key that cannot be used.
    static func builder(_ settings: ServerSettings, file: String?, logger: Logger) throws -> HTTPServerBuilder {
        guard let tls = settings.tls else { return plain(settings, logger: logger) }
        return try .tls(.http1(configuration: http1(settings, logger: logger)), tlsConfiguration: tlsConfiguration(tls, file: file))
    }

    /// The plain HTTP server builder for `settings` (its TLS files, if any, left aside).
    static func plain(_ settings: ServerSettings, logger: Logger) -> HTTPServerBuilder {
        .http1(configuration: http1(settings, logger: logger))
    }

    private static func http1(_ settings: ServerSettings, logger: Logger) -> HTTP1Channel.Configuration {
        let limiter = ConnectionLimiter(perAddress: settings.maxConnectionsPerAddress, logger: logger)
        let bodyTimeout = TimeAmount.seconds(Int64(settings.bodyTimeoutSeconds))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionLimitHandler(limiter: limiter), RequestDeadlineHandler(timeout: bodyTimeout)],
            idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)))
    }

    /// Refuses plain HTTP on an address other than loopback unless `allow_plain_http` says so
    /// (then it is a warning in the log): the agents' tokens and people's records would cross the
    /// network in clear.
    static func checkPlainHTTP(_ settings: ServerSettings, file: String?, logger: Logger) throws {
        if let problem = plainHTTPProblem(settings, file: file) { throw problem }
        guard settings.tls == nil, !settings.listensOnLoopbackOnly else { return }
        logger.warning("serving plain HTTP on a network address: tokens and records cross the network in clear",
                       metadata: ["duty.host": .string(settings.host)])
    }

    /// The refusal of `checkPlainHTTP`, if any (`validate` lists it with the config's other problems).
    static func plainHTTPProblem(_ settings: ServerSettings, file: String?) -> ConfigError? {
        guard settings.tls == nil, !settings.listensOnLoopbackOnly, !settings.allowPlainHTTP else { return nil }
        return ConfigError(
            file: file ?? "configuration", key: "server.host",
            message: "\(settings.host) is not a loopback address and no TLS is configured: set server.tls_cert and "
                + "server.tls_key, or allow_plain_http = true to send tokens and records in clear")
    }

    /// The server's TLS configuration from the PEM files, checked: both readable, the certificate
    /// (and any chain) and the key parse, and the key belongs to the first certificate.
    static func tlsConfiguration(_ files: TLSFiles, file: String?) throws -> TLSConfiguration {
        let config = files.fromEnvironment ? "environment" : file ?? "configuration"
        func problem(_ key: String, _ line: Int?, _ message: String) -> ConfigError {
            let name = files.fromEnvironment ? "DUTY_COLLECTOR_\(key.uppercased())" : "server.\(key)"
            return ConfigError(file: config, line: line, key: name, message: message)
        }
        let certificateData = try read(files.certificate, key: "tls_cert", line: files.certificateLine, problem)
        let keyData = try read(files.key, key: "tls_key", line: files.keyLine, problem)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateData))
        } catch {
            throw problem("tls_cert", files.certificateLine, "\(files.certificate) is not a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw problem("tls_cert", files.certificateLine, "\(files.certificate) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(keyData), format: .pem)
        } catch {
            throw problem("tls_key", files.keyLine, "\(files.key) is not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); every agent's TLS library speaks 1.2.
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw problem("tls_key", files.keyLine,
                          "the key in \(files.key) does not belong to the certificate in \(files.certificate) (\(error))")
        }
        return configuration
    }

    private static func read(_ path: String, key: String, line: Int?,
                             _ problem: (String, Int?, String) -> ConfigError) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw problem(key, line, "\(path): no such file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw problem(key, line, "\(path): cannot be read (permissions?)")
        }
        return data
    }
}

/// Counts the open connections per client address.
final class ConnectionLimiter: @unchecked Sendable {
    let perAddress: Int
    private let logger: Logger
    private let lock = NSLock()
    private var open: [String: Int] = [:]

    init(perAddress: Int, logger: Logger) {
        self.perAddress = perAddress
        self.logger = logger
    }

    /// Counts a new connection from `address`; false when the address already has its limit (the
    /// first refusal of a burst is logged).
    func admit(_ address: String) -> Bool {
        let (admitted, first) = lock.withLock { () -> (Bool, Bool) in
            let n = open[address, default: 0]
            if n >= perAddress {
                // Count past the limit once, so the warning comes once per burst.
                if n == perAddress { open[address] = n + 1; return (false, true) }
                return (false, false)
            }
            open[address] = n + 1
            return (true, false)
        }
        if first {
            logger.warning("too many connections from one address: refusing more",
                           metadata: ["duty.client": .string(address), "duty.limit": .stringConvertible(perAddress)])
        }
        return admitted
    }

    /// A connection admitted from `address` has closed.
    func release(_ address: String) {
        lock.withLock {
            var n = open[address, default: 1] - 1
            // The burst marker goes with the first connection that closes.
            if n == perAddress { n -= 1 }
            open[address] = n > 0 ? n : nil
        }
    }

    /// The open connections from `address` (for tests).
    func count(_ address: String) -> Int { lock.withLock { min(open[address, default: 0], perAddress) } }
}

/// Closes a new connection whose address already has `max_connections_per_address` open.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart

    let limiter: ConnectionLimiter
    private var address: String?

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let ip = context.channel.remoteAddress?.ipAddress else { return }
        if limiter.admit(ip) {
            address = ip
        } else {
            context.channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let address { limiter.release(address) }
        address = nil
    }
}

/// Closes the connection when a request's body has not arrived whole within `timeout` of its
/// headers: a stalled or trickling upload cannot hold a connection (the idle time-out covers
/// the headers, which reset it only once complete).
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
