import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// The served collector bounds every wait and the connections it holds, tried with real sockets:
/// idle connections, headers sent a byte at a time, a body that trickles, many connections from one
/// address, and bad tokens from one address that must not slow another.
@Suite(.serialized) struct ConnectionLimitTests {
    /// Small time-outs so the tests run in seconds.
    static func quick(_ config: inout CollectorConfig) {
        config.server.idleTimeoutSeconds = 1
        config.server.bodyTimeoutSeconds = 3
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await TestCollector.run(testing: .live, configure: Self.quick) { _, client in
            let port = try #require(client.port)
            let idle = try RawConnection(port: port)
            #expect(try await idle.closes(within: .seconds(15)))
            // Between requests too: one answer, then silence.
            let kept = try RawConnection(port: port)
            kept.send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
            #expect(try await kept.answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
            #expect(try await kept.closes(within: .seconds(15)))
        }
    }

    @Test func headersSentAByteAtATimeAreCutOff() async throws {
        try await TestCollector.run(testing: .live, configure: Self.quick) { _, client in
            let port = try #require(client.port)
            let slow = try RawConnection(port: port)
            let start = ContinuousClock.now
            var cut = false
            // A header byte every 200 ms, forever: the head never completes.
            slow.send("GET /healthz HTTP/1.1\r\nHost: c\r\n")
            let filler = Array("X-Slow: " + String(repeating: "a", count: 500))
            for byte in filler {
                if !slow.send(String(byte)) || slow.read().closed { cut = true; break }
                try await Task.sleep(for: .milliseconds(200))
                if ContinuousClock.now - start > .seconds(30) { break }
            }
            #expect(cut, "a slowloris connection was held for 30 s")
        }
    }

    @Test func aTricklingBodyIsCutOffAtTheBodyTimeout() async throws {
        try await TestCollector.run(testing: .live, configure: Self.quick) { collector, client in
            let port = try #require(client.port)
            let body = String(decoding: try DaySummary.canonicalEncoder.encode(Samples.summary()), as: UTF8.self)
            let conn = try RawConnection(port: port)
            conn.send("POST /api/v1/summaries HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer \(TestCollector.agentToken)\r\n"
                      + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            // A chunk of one byte every 300 ms: never idle for a second, never done.
            var cut = false
            let start = ContinuousClock.now
            for byte in body {
                if !conn.send("1\r\n\(byte)\r\n") || conn.read().closed { cut = true; break }
                try await Task.sleep(for: .milliseconds(300))
                if ContinuousClock.now - start > .seconds(40) { break }
            }
            #expect(cut, "a trickling body was held for 40 s")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
    }

    @Test func oneAddressCannotTakeEveryConnection() async throws {
        try await TestCollector.run(testing: .live, configure: { $0.server.maxConnectionsPerAddress = 4 }) { _, client in
            let port = try #require(client.port)
            var held: [RawConnection] = []
            for _ in 0..<4 { held.append(try RawConnection(port: port, source: "127.0.0.2")) }
            held[0].send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
            #expect(try await held[0].answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
            let extra = try RawConnection(port: port, source: "127.0.0.2")
            #expect(try await extra.closes(within: .seconds(15)), "a 5th connection from 127.0.0.2 was kept")
            // Another address is served as usual.
            let other = try RawConnection(port: port, source: "127.0.0.1")
            other.send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
            #expect(try await other.answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
            // When one closes, the address may connect again.
            held.removeLast()
            try await Task.sleep(for: .milliseconds(300))
            let again = try RawConnection(port: port, source: "127.0.0.2")
            again.send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
            #expect(try await again.answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
        }
    }

    @Test func badTokensFromOneAddressDoNotSlowAnother() async throws {
        try await TestCollector.run(testing: .live) { _, client in
            let port = try #require(client.port)
            func get(_ token: String, from source: String) async throws -> String {
                let c = try RawConnection(port: port, source: source)
                c.send("GET /api/v1/agents HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
                return try #require(try await c.answer(within: .seconds(15)), "no answer")
            }
            for i in 1...AuthThrottle.Policy().maxFailures {
                #expect(try await get("bad-token-\(i)-000000000000", from: "127.0.0.2").hasPrefix("HTTP/1.1 401"))
            }
            let slowed = try await get("bad-token-x-000000000000", from: "127.0.0.2")
            #expect(slowed.hasPrefix("HTTP/1.1 429"))
            #expect(slowed.lowercased().contains("retry-after:"))
            #expect(try await get("bad-token-y-000000000000", from: "127.0.0.1").hasPrefix("HTTP/1.1 401"))
            #expect(try await get(TestCollector.adminToken, from: "127.0.0.1").hasPrefix("HTTP/1.1 200"))
        }
    }
}
