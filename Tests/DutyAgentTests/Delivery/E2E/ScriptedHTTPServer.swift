import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on a loopback address that answers every request with `answer` and
/// records what it received: a stand-in for a collector that misbehaves (redirects, answers that
/// are not receipts) or for the host a redirect points to.
final class ScriptedHTTPServer: @unchecked Sendable {
    /// One request as received: its head (request line and headers, lower-cased names) and body.
    struct Received: Sendable {
        var head: String
        var body: Data
        /// The value of header `name` (case-insensitive), if present.
        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    let host: String
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var log: [Received] = []
    private let answer: @Sendable (Received) -> String

    /// Listens on `host` (a loopback address such as 127.0.0.1 or 127.0.0.2), a free port.
    /// `answer` returns the whole HTTP response (status line, headers, body) for a request.
    init(host: String = "127.0.0.1", answer: @escaping @Sendable (Received) -> String) throws {
        self.host = host
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw E2EFailure("test server cannot listen on \(host): errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: URL { URL(string: "http://\(host):\(port)")! }

    /// Every request received so far, in order.
    var received: [Received] { lock.withLock { log } }

    func close() { shutdown(listener, Int32(SHUT_RDWR)); Glibc.close(listener) }

    /// A complete response with a JSON (or any) body.
    static func response(_ status: String, headers: [String] = [], body: String = "") -> String {
        (["HTTP/1.1 \(status)", "Content-Length: \(body.utf8.count)", "Connection: close"] + headers)
            .joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        var buffer = [UInt8]()
        guard let message = LossyProxy.readMessage(client, &buffer, continueTo: client),
              let split = message.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
        let request = Received(head: String(decoding: message[..<split.lowerBound], as: UTF8.self),
                               body: Data(message[split.upperBound...]))
        lock.withLock { log.append(request) }
        _ = LossyProxy.writeAll(client, Array(answer(request).utf8))
    }
}
