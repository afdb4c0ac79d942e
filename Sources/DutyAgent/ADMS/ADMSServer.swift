import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The request context of the ADMS endpoints: Hummingbird's core storage and the caller's address.
struct ADMSRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// The ADMS receiver served over HTTP with Hummingbird (plain HTTP: the devices speak nothing else).
enum ADMSServer {
    /// The HTTP application of `receiver`, listening on `[adms] listen`.
    static func application(receiver: ADMSReceiver, config: ADMSConfig, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: ADMSRequestContext.self)
        let handler: @Sendable (Request, ADMSRequestContext) async throws -> Response = { request, context in
            let body: [UInt8]
            do {
                let buffer = try await request.body.collect(upTo: ADMSRequest.maxBodyBytes)
                body = Array(buffer.readableBytesView)
            } catch {
                logger.warning("ADMS request refused: body too large",
                               metadata: ["duty.path": "\(request.uri.path)",
                                          "duty.address": "\(context.remoteAddress?.ipAddress ?? "?")"])
                return text(413, "body larger than \(ADMSRequest.maxBodyBytes) bytes\n")
            }
            let answer = await receiver.handle(ADMSReceiver.Request(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", body: body,
                address: context.remoteAddress?.ipAddress ?? "?"))
            return text(answer.status, answer.text)
        }
        for path in ["/iclock/cdata", "/iclock/getrequest", "/iclock/devicecmd", "/iclock/ping",
                     "/iclock/cdata.aspx", "/iclock/getrequest.aspx", "/iclock/devicecmd.aspx"] {
            router.get(RouterPath(path), use: handler)
            router.post(RouterPath(path), use: handler)
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in
                logger.info("ADMS receiver listening", metadata: [
                    "duty.host": "\(config.host)", "duty.port": "\(channel.localAddress?.port ?? -1)",
                    "duty.devices": "\(config.devices.map(\.serial).joined(separator: ", "))"])
            },
            logger: logger)
    }

    private static func text(_ status: Int, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
