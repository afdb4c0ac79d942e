import Hummingbird

/// A known path asked with a method it does not serve is 405 with `Allow`, not 404.
enum MethodNotAllowed {
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    /// Adds, for every path of `router`, an answer for each method it lacks. Call after the last
    /// route is added: a path added later gets no 405s.
    static func register(on router: Router<CollectorRequestContext>) {
        var byPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in router.routes {
            byPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for (_, entry) in byPath.sorted(by: { $0.key < $1.key }) {
            let allow = methods.filter { entry.methods.contains($0) }.map(\.rawValue).joined(separator: ", ")
            for method in methods where !entry.methods.contains(method) {
                router.on(entry.path, method: method) { request, _ -> Response in
                    var e = APIError(.methodNotAllowed, "method_not_allowed",
                                     "\(request.method.rawValue) is not served at \(request.uri.path) (allowed: \(allow))")
                    e.headers[.allow] = allow
                    throw e
                }
            }
        }
    }
}
