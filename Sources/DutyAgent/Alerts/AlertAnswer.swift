import Foundation

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
