import Foundation
import Testing
@testable import DutyAgent
import Shared

/// The vendors' message formats and signatures (docs/alerts.md cites the vendors' pages).
@Suite struct AlertMessageTests {
    static let alert = DutyAlert(kind: .awayOverLimit, site: "sjj", person: "1001", name: "张伟",
                                 unit: UnitPath("市场监管局/办公室"), date: CivilDate("2026-11-02")!, shift: "night-duty",
                                 shiftName: "夜间值班", posts: ["值班室"], since: LocalDateTime("2026-11-02 23:00:00")!,
                                 due: LocalDateTime("2026-11-02 23:15:01")!, minutes: 15)

    static func target(_ kind: AlertTarget.Kind, format: String = "text", url: String = "https://robot.example/send?access_token=abc") -> AlertTarget {
        AlertTarget(name: "alert[1]", kind: kind, url: URL(string: url)!, perMinute: kind.defaultPerMinute, format: format)
    }

    private func json(_ m: AlertMessage) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: m.body) as? [String: Any])
    }

    /// The DingTalk sign of the vendor's documented Python sample (secret "this is secret"), computed
    /// independently with Python's hmac/base64/quote_plus for timestamp 1577262236757.
    @Test func dingTalkSignatureMatchesTheDocumentedAlgorithm() {
        let now = Date(timeIntervalSince1970: 1_577_262_236.757)
        let (ts, sign) = AlertMessage.dingTalkSignature(secret: "this is secret", now: now)
        #expect(ts == "1577262236757")
        #expect(sign == "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D")
    }

    /// Feishu: key timestamp + "\n" + secret over an empty message; timestamp 1599360473 is the one of
    /// Feishu's documentation, the expected value computed with Python's hmac.
    @Test func feishuSignatureMatchesTheDocumentedAlgorithm() {
        let (ts, sign) = AlertMessage.feishuSignature(secret: "demo", now: Date(timeIntervalSince1970: 1_599_360_473))
        #expect(ts == "1599360473" && sign == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=")
    }

    @Test func dingTalkTextSignedInTheQuery() throws {
        let now = Date(timeIntervalSince1970: 1_577_262_236.757)
        let m = AlertMessage.build(Self.alert, for: Self.target(.dingtalk), secret: "this is secret", language: .zh, now: now)
        #expect(m.url.absoluteString == "https://robot.example/send?access_token=abc&timestamp=1577262236757"
                + "&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D")
        let body = try json(m)
        #expect(body["msgtype"] as? String == "text")
        #expect((body["text"] as? [String: Any])?["content"] as? String
                == "【值班离岗超时】张伟（市场监管局/办公室）值班期间自 23:00 离开值班室，已超过 15 分钟未返回。")
    }

    @Test func dingTalkMarkdownHasATitle() throws {
        let m = AlertMessage.build(Self.alert, for: Self.target(.dingtalk, format: "markdown"), secret: nil, language: .zh, now: Date())
        let md = try #require(try json(m)["markdown"] as? [String: Any])
        #expect(md["title"] as? String == "值班离岗超时" && (md["text"] as? String)?.hasPrefix("#### 值班离岗超时") == true)
        #expect(m.url.absoluteString == "https://robot.example/send?access_token=abc")
    }

    @Test func weComTextAndMarkdownAreUnsigned() throws {
        let text = try json(AlertMessage.build(Self.alert, for: Self.target(.wecom), secret: nil, language: .zh, now: Date()))
        #expect(text["msgtype"] as? String == "text" && (text["text"] as? [String: Any])?["content"] != nil)
        let md = try json(AlertMessage.build(Self.alert, for: Self.target(.wecom, format: "markdown"), secret: nil, language: .en,
                                             now: Date()))
        #expect(((md["markdown"] as? [String: Any])?["content"] as? String)?.hasPrefix("**away from post too long**") == true)
    }

    @Test func feishuTextSignedInTheBody() throws {
        let now = Date(timeIntervalSince1970: 1_599_360_473)
        let body = try json(AlertMessage.build(Self.alert, for: Self.target(.feishu), secret: "demo", language: .zh, now: now))
        #expect(body["msg_type"] as? String == "text")
        #expect((body["content"] as? [String: Any])?["text"] as? String != nil)
        #expect(body["timestamp"] as? String == "1599360473" && body["sign"] as? String == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=")
        let post = try json(AlertMessage.build(Self.alert, for: Self.target(.feishu, format: "post"), secret: nil, language: .zh, now: now))
        let zh = ((post["content"] as? [String: Any])?["post"] as? [String: Any])?["zh_cn"] as? [String: Any]
        #expect(zh?["title"] as? String == "值班离岗超时" && post["sign"] == nil)
    }

    @Test func webhookIsPlainJSONWithAnOptionalHMACHeader() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let m = AlertMessage.build(Self.alert, for: Self.target(.webhook, url: "http://127.0.0.1:9/hook"), secret: "k",
                                   language: .zh, now: now)
        let body = try json(m)
        #expect(body["kind"] as? String == "away_over_limit" && body["person"] as? String == "1001")
        #expect(body["since"] as? String == "2026-11-02 23:00:00" && body["shift_name"] as? String == "夜间值班")
        #expect(body["id"] as? String == Self.alert.id && body["title"] as? String == "值班离岗超时")
        #expect(m.headers["X-DutyWatch-Timestamp"] == "1700000000000")
        let expected = "sha256=" + Hex.encode(AlertMessage.hmac(key: Data("k".utf8), Data("1700000000000\n".utf8) + m.body))
        #expect(m.headers["X-DutyWatch-Signature"] == expected)
    }

    @Test func answersAreSuccessOnlyWhenTheVendorSaysSo() {
        let ok = Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)
        #expect(AlertAnswer.of(.dingtalk, status: 200, retryAfter: nil, body: ok) == .delivered)
        #expect(AlertAnswer.of(.dingtalk, status: 200, retryAfter: nil, body: Data(#"{"errcode":310000,"errmsg":"sign not match"}"#.utf8))
                == .failed("errcode 310000: sign not match"))
        #expect(AlertAnswer.of(.dingtalk, status: 200, retryAfter: nil, body: Data("<html>".utf8)) == .failed("HTTP 200: <html>"))
        #expect(AlertAnswer.of(.dingtalk, status: 200, retryAfter: nil, body: Data(#"{"errcode":130101}"#.utf8))
                == .rateLimited(seconds: 60))
        #expect(AlertAnswer.of(.wecom, status: 200, retryAfter: nil, body: Data(#"{"errcode":45009}"#.utf8)) == .rateLimited(seconds: 60))
        #expect(AlertAnswer.of(.feishu, status: 200, retryAfter: nil, body: Data(#"{"code":0,"msg":"success"}"#.utf8)) == .delivered)
        #expect(AlertAnswer.of(.feishu, status: 200, retryAfter: nil, body: Data(#"{"code":9499,"msg":"too many"}"#.utf8))
                == .rateLimited(seconds: 60))
        #expect(AlertAnswer.of(.feishu, status: 200, retryAfter: nil, body: Data(#"{"code":19021,"msg":"sign"}"#.utf8)) == .failed("code 19021: sign"))
        #expect(AlertAnswer.of(.webhook, status: 204, retryAfter: nil, body: Data()) == .delivered)
        #expect(AlertAnswer.of(.webhook, status: 500, retryAfter: nil, body: Data("x".utf8)) == .failed("HTTP 500: x"))
        #expect(AlertAnswer.of(.webhook, status: 429, retryAfter: 7, body: Data()) == .rateLimited(seconds: 7))
    }
}
