import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection made by hand, to behave as a slow or idle client would: bytes sent one at a
/// time, headers left unfinished, bodies stalled. Waits poll without blocking a thread for long.
final class RawConnection {
    private let fd: Int32

    /// Connects to 127.0.0.1:`port`, from the loopback address `source` when given (127.0.0.2
    /// is another client address on the same machine).
    init(port: Int, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: errno \(errno)") }
        if let source {
            var local = Self.address(source, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { close(fd); throw RawConnectionError("bind \(source): errno \(errno)") }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw RawConnectionError("connect: errno \(errno)") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    private static func address(_ ip: String, port: Int) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port).bigEndian)
        _ = inet_pton(AF_INET, ip, &a.sin_addr)
        return a
    }

    /// Sends `text`; false when the peer has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return n == bytes.count
    }

    /// Whatever has arrived, and whether the peer has closed.
    func read() -> (text: String, closed: Bool) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { data += buffer[0..<n]; continue }
            let closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            return (String(decoding: data, as: UTF8.self), closed)
        }
    }

    /// Waits up to `limit` for the peer to close, reading and dropping what it sends; true if it did.
    func closes(within limit: Duration) async throws -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if read().closed { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits up to `limit` for a whole HTTP answer (headers and a body of Content-Length); nil if none came.
    func answer(within limit: Duration) async throws -> String? {
        let end = ContinuousClock.now + limit
        var text = ""
        while ContinuousClock.now < end {
            let (more, closed) = read()
            text += more
            if let head = text.range(of: "\r\n\r\n") {
                let headers = text[..<head.lowerBound].lowercased()
                let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<head.upperBound].utf8.count >= length { return text }
            }
            if closed { return text.isEmpty ? nil : text }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
