import Crypto
import Foundation
import Shared

/// One alert written for one target: the address (DingTalk's signature goes in the query), the
/// JSON body and extra headers. Built at each attempt, so a signature's timestamp is fresh.
struct AlertMessage: Sendable, Equatable {
    var url: URL
    var body: Data
    var headers: [String: String] = [:]

    /// The message of `alert` for `target`, signed with `secret` (trimmed file content) at `now`.
    static func build(_ alert: DutyAlert, for target: AlertTarget, secret: String?, language: Language,
                      now: Date) -> AlertMessage {
        let title = alert.title(language)
        let sentence = alert.sentence(language)
        let text = language == .zh ? "【\(title)】\(sentence)" : "[\(title)] \(sentence)"
        switch target.kind {
        case .webhook:
            let body = WebhookPayload(alert, title: title, text: sentence, language: language).encoded()
            var headers: [String: String] = [:]
            if let secret {
                let ts = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
                headers["X-DutyWatch-Timestamp"] = ts
                headers["X-DutyWatch-Signature"] = "sha256=" + Hex.encode(hmac(key: Data(secret.utf8), Data((ts + "\n").utf8) + body))
            }
            return AlertMessage(url: target.url, body: body, headers: headers)
        case .dingtalk:
            let json: [String: Any] = target.format == "markdown"
                ? ["msgtype": "markdown", "markdown": ["title": title, "text": "#### \(title)\n\n\(sentence)"]]
                : ["msgtype": "text", "text": ["content": text]]
            var url = target.url
            if let secret {
                let (ts, sign) = dingTalkSignature(secret: secret, now: now)
                url = appending(query: "timestamp=\(ts)&sign=\(sign)", to: url)
            }
            return AlertMessage(url: url, body: encode(json))
        case .wecom:
            let json: [String: Any] = target.format == "markdown"
                ? ["msgtype": "markdown", "markdown": ["content": "**\(title)**\n\(sentence)"]]
                : ["msgtype": "text", "text": ["content": text]]
            return AlertMessage(url: target.url, body: encode(json))
        case .feishu:
            var json: [String: Any] = target.format == "post"
                ? ["msg_type": "post",
                   "content": ["post": [language == .zh ? "zh_cn" : "en_us":
                        ["title": title, "content": [[["tag": "text", "text": sentence]]]]]]]
                : ["msg_type": "text", "content": ["text": text]]
            if let secret {
                let (ts, sign) = feishuSignature(secret: secret, now: now)
                json["timestamp"] = ts
                json["sign"] = sign
            }
            return AlertMessage(url: target.url, body: encode(json))
        }
    }

    /// DingTalk: timestamp in milliseconds; sign = urlEncode(base64(HMAC-SHA256(key: secret,
    /// message: timestamp + "\n" + secret))).
    static func dingTalkSignature(secret: String, now: Date) -> (timestamp: String, sign: String) {
        let ts = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let mac = hmac(key: Data(secret.utf8), Data("\(ts)\n\(secret)".utf8)).base64EncodedString()
        return (ts, mac.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? mac)
    }

    /// Feishu: timestamp in seconds; sign = base64(HMAC-SHA256(key: timestamp + "\n" + secret,
    /// message: empty)).
    static func feishuSignature(secret: String, now: Date) -> (timestamp: String, sign: String) {
        let ts = String(Int64(now.timeIntervalSince1970.rounded(.down)))
        return (ts, hmac(key: Data("\(ts)\n\(secret)".utf8), Data()).base64EncodedString())
    }

    static func hmac(key: Data, _ message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    private static func appending(query: String, to url: URL) -> URL {
        let s = url.absoluteString
        return URL(string: s + (s.contains("?") ? "&" : "?") + query) ?? url
    }

    private static func encode(_ json: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
