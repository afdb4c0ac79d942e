import Foundation
import Hummingbird
import Mustache
import Shared

/// The console's templates and static assets, loaded once from the collector's resource bundle
/// (`Console/Resources`: `templates/*.mustache`, `assets/*`), and the responses made from them.
struct ConsolePages: Sendable {
    let library: MustacheLibrary
    /// Asset name → (bytes, content type).
    let assets: [String: (bytes: ByteBuffer, type: String)]

    /// Loads every template and asset. Throws naming the file that is missing or does not parse.
    static func load() throws -> ConsolePages {
        // `.copy("Console/Resources")` puts the folder itself at the top of the bundle.
        let root = Bundle.module.bundleURL.appendingPathComponent("Resources")
        var library = MustacheLibrary()
        let templates = root.appendingPathComponent("templates")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw ConsoleResourceError(message: "cannot read the console templates in \(templates.path): \(error)")
        }
        for name in names {
            let url = templates.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ConsoleResourceError(message: "cannot read \(url.path)")
            }
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw ConsoleResourceError(message: "\(url.path): \(error)")
            }
        }
        var assets: [String: (ByteBuffer, String)] = [:]
        let assetFolder = root.appendingPathComponent("assets")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: assetFolder.path)) ?? [] {
            guard let data = FileManager.default.contents(atPath: assetFolder.appendingPathComponent(name).path) else { continue }
            assets[name] = (ByteBuffer(bytes: data), Self.contentType(of: name))
        }
        return ConsolePages(library: library, assets: assets)
    }

    /// The page `template` rendered with `model`, as an HTML response nobody caches.
    func page(_ template: String, _ model: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(model, withTemplate: template) ?? "template \(template) is missing"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The asset `name` (an hour in caches), or 404.
    func asset(_ name: String) throws -> Response {
        guard let asset = assets[name] else { throw HTTPError(.notFound) }
        var headers = HTTPFields()
        headers[.contentType] = asset.type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}

/// The console's templates or assets could not be loaded.
struct ConsoleResourceError: Error, CustomStringConvertible {
    var message: String
    var description: String { "console: \(message)" }
}

/// The parts every page shares: words, language, the signed-in user, navigation, the CSRF token.
enum PageModel {
    /// The model of a page titled by the phrase `titleKey`, under navigation section `section`.
    static func base(_ request: Request, _ context: ConsoleRequestContext, titleKey: String, section: String? = nil)
        -> [String: Any]
    {
        let language = context.language
        let t = ConsoleText.strings(language)
        let here = ConsoleLinks.localTarget(request.uri.description) ?? "/"
        var model: [String: Any] = [
            "t": t,
            "htmlLang": language == .zh ? "zh-CN" : "en",
            "suspectedLabel": Vocabulary(language).suspected,
            "title": t[titleKey] ?? titleKey,
            "languageSwitch": "/lang?to=\(t["languageCode"] ?? "en")&next=\(ConsoleLinks.queryEscape(here))",
        ]
        if let user = context.identity {
            model["user"] = [
                "name": user.name,
                "role": ConsoleText.role(user.role, language),
                "csrf": user.csrf,
            ] as [String: Any]
            model["csrf"] = user.csrf
            model["nav"] = ConsoleNavigation.items(for: user, language: language, section: section)
        }
        return model
    }
}
