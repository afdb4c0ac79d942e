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

/// The plain webhook's JSON (docs/alerts.md): the alert's facts with snake_case keys, plus the
/// title and sentence a person reads.
struct WebhookPayload: Codable, Equatable {
    var id: String
    var kind: String
    var title: String
    var text: String
    var language: String
    var site: String
    var person: String?
    var name: String?
    var unit: String?
    var date: String?
    var shift: String?
    var shiftName: String?
    var posts: [String]
    var since: String
    var until: String?
    var due: String
    var minutes: Int?
    var reader: String?
    var evidence: [Evidence]

    init(_ a: DutyAlert, title: String, text: String, language: Language) {
        id = a.id
        kind = a.kind.rawValue
        self.title = title
        self.text = text
        self.language = language.rawValue
        site = a.site
        person = a.person
        name = a.name
        unit = a.unit?.description
        date = a.date?.description
        shift = a.shift
        shiftName = a.shiftName
        posts = a.posts
        since = a.since.description
        until = a.until?.description
        due = a.due.description
        minutes = a.minutes
        reader = a.reader
        evidence = a.evidence
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// What a target's answer means.
enum AlertAnswer: Equatable, Sendable {
    case delivered
    /// The vendor asks us to slow down: wait at least this many seconds.
    case rateLimited(seconds: Int)
    /// Anything else: kept, retried with backoff, shown by `status`.
    case failed(String)

    /// DingTalk and WeCom: HTTP 200 with `errcode` 0; Feishu: `code` 0 (or the legacy `StatusCode`
    /// 0); webhook: any 2xx. Rate limits: HTTP 429, DingTalk 130101, WeCom 45009, Feishu 9499/11232.
    static func of(_ kind: AlertTarget.Kind, status: Int, retryAfter: Int?, body: Data) -> AlertAnswer {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let snippet = String(decoding: body.prefix(200), as: UTF8.self)
        if status == 429 { return .rateLimited(seconds: retryAfter ?? 60) }
        switch kind {
        case .webhook:
            return (200..<300).contains(status) ? .delivered : .failed("HTTP \(status): \(snippet)")
        case .dingtalk, .wecom:
            guard status == 200, let code = (json?["errcode"] as? NSNumber)?.intValue else {
                return .failed("HTTP \(status): \(snippet)")
            }
            if code == 0 { return .delivered }
            if code == 130101 || code == 45009 { return .rateLimited(seconds: retryAfter ?? 60) }
            return .failed("errcode \(code): \(json?["errmsg"] as? String ?? "")")
        case .feishu:
            let code = (json?["code"] as? NSNumber)?.intValue ?? (json?["StatusCode"] as? NSNumber)?.intValue
            guard (200..<300).contains(status) || code != nil, let code else { return .failed("HTTP \(status): \(snippet)") }
            if code == 0 && (200..<300).contains(status) { return .delivered }
            if code == 9499 || code == 11232 { return .rateLimited(seconds: retryAfter ?? 60) }
            return .failed("code \(code): \(json?["msg"] as? String ?? "")")
        }
    }
}
