import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 proxy on loopback between the agent and the collector. It forwards each request,
/// reads the collector's whole answer, and then either passes it back or, for the requests chosen
/// by `dropAnswer`, closes the agent's connection instead: the collector has stored the summary but
/// the agent never hears so (a lost acknowledgement). It records the summaries the collector
/// answered with a 2xx, in order.
final class LossyProxy: @unchecked Sendable {
    let port: Int
    let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var counter = 0
    private var answered: [(date: String, revision: Int, status: Int)] = []
    private var dropped = 0
    /// What happened, one line an event (written beside the test's files on tear-down).
    private(set) var trace: [String] = []
    private func note(_ line: String) { lock.withLock { trace.append("\(Date().timeIntervalSince1970) \(line)") } }
    /// Decides, by the request's 1-based number, whether its answer is lost.
    private let dropAnswer: @Sendable (Int) -> Bool

    init(upstreamPort: Int, dropAnswer: @escaping @Sendable (Int) -> Bool = { _ in false }) throws {
        self.upstreamPort = upstreamPort
        self.dropAnswer = dropAnswer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw E2EFailure("proxy cannot listen: errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// `date rN` of each summary the collector answered with 2xx, in the order it answered.
    var delivered: [(date: String, revision: Int)] {
        lock.withLock { answered.filter { (200..<300).contains($0.status) }.map { ($0.date, $0.revision) } }
    }

    /// Every summary answered, with the collector's status, in the order it answered.
    var answers: [(date: String, revision: Int, status: Int)] { lock.withLock { answered } }

    /// How many answers were dropped.
    var droppedAnswers: Int { lock.withLock { dropped } }

    func close() { shutdown(listener, Int32(SHUT_RDWR)); Glibc.close(listener) }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    /// Serves one agent connection, request by request (keep-alive).
    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        var buffer = [UInt8]()
        while let request = Self.readMessage(client, &buffer, continueTo: client) {
            let number = lock.withLock { counter += 1; return counter }
            note("#\(number) request on fd \(client), \(request.count) bytes")
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { Glibc.close(upstream) }
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0, Self.writeAll(upstream, request) else {  // collector down: the agent sees a reset
                note("#\(number) upstream unreachable")
                return
            }
            var upstreamBuffer = [UInt8]()
            var response: [UInt8] = []
            var status = 0
            repeat {  // interim answers (100 Continue) are skipped: the proxy already sent the whole body
                guard let message = Self.readMessage(upstream, &upstreamBuffer) else {
                    note("#\(number) no answer from upstream")
                    return
                }
                response = message
                status = Int(String(decoding: response.prefix(12).dropFirst(9), as: UTF8.self).prefix(3)) ?? 0
            } while (100..<200).contains(status)
            let (date, revision) = Self.summaryKey(request)
            let drop = dropAnswer(number)
            lock.withLock {
                answered.append((date, revision, status))
                if drop { dropped += 1 }
            }
            note("#\(number) answered \(status)\(drop ? ", answer dropped" : "")")
            if drop { return }
            guard Self.writeAll(client, response) else { return }
        }
    }

    /// The `date` and `revision` fields of a summary request body.
    static func summaryKey(_ message: [UInt8]) -> (String, Int) {
        guard let split = message.firstRange(of: Array("\r\n\r\n".utf8)) else { return ("", 0) }
        struct Key: Decodable { var date: String; var revision: Int }
        let key = try? JSONDecoder().decode(Key.self, from: Data(message[split.upperBound...]))
        return (key?.date ?? "", key?.revision ?? 0)
    }

    /// Reads one HTTP message (head and a Content-Length body); nil at end of stream. A request that
    /// expects `100 Continue` gets it on `continueTo` once its head is read.
    static func readMessage(_ fd: Int32, _ buffer: inout [UInt8], continueTo: Int32? = nil) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var continued = false
        while true {
            if let head = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let headText = String(decoding: buffer[..<head.lowerBound], as: UTF8.self).lowercased()
                if let continueTo, !continued, headText.contains("expect: 100-continue") {
                    continued = true
                    _ = writeAll(continueTo, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                var length = 0
                for line in headText.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                let total = head.upperBound + length
                if buffer.count >= total {
                    let message = Array(buffer[..<total])
                    buffer.removeFirst(total)
                    return message
                }
            }
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[..<n]
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
