import Foundation

/// Certificates made by openssl for one test: a CA the agent is told to trust, another CA it is
/// not, a server certificate for 127.0.0.1 signed by the first, and a client CA with a client
/// certificate for mutual TLS.
struct TestCertificates {
    let folder: URL
    var ca: URL { folder.appendingPathComponent("ca.pem") }
    var wrongCA: URL { folder.appendingPathComponent("wrong-ca.pem") }
    var serverCert: URL { folder.appendingPathComponent("server.pem") }
    var serverKey: URL { folder.appendingPathComponent("server.key") }
    var clientCA: URL { folder.appendingPathComponent("client-ca.pem") }
    var clientCert: URL { folder.appendingPathComponent("client.pem") }
    var clientKey: URL { folder.appendingPathComponent("client.key") }

    /// Whether openssl is on the PATH.
    static let available = E2E.command("openssl", "version")

    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.makeCA("ca", "DutyWatch Test Org CA", in: folder)
        try Self.makeCA("wrong-ca", "Somebody Else CA", in: folder)
        try Self.makeCA("client-ca", "DutyWatch Test Agents CA", in: folder)
        try Self.issue("server", cn: "127.0.0.1", ca: "ca", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", in: folder)
        try Self.issue("client", cn: "e2e-office", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth\n", in: folder)
    }

    private static func makeCA(_ name: String, _ cn: String, in folder: URL) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", "/CN=\(cn)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: folder)
    }

    private static func issue(_ name: String, cn: String, ca: String, extensions: String, in folder: URL) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"], in: folder)
        try Data(extensions.utf8).write(to: folder.appendingPathComponent("\(name).ext"))
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial",
                     "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: folder)
    }

    private static func openssl(_ arguments: [String], in folder: URL) throws {
        let r = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments, folder: folder,
                                     label: "openssl-\(arguments[0])", seconds: 60)
        guard r.status == 0 else { throw E2EFailure("openssl \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
    }
}

/// A TLS server standing in for the collector (Python's ssl module, started by the test): answers
/// every `POST /api/v1/summaries` with the collector's receipt for the summary, optionally requires
/// a client certificate, and logs every HTTP request it got (after a completed handshake).
final class TLSTestServer: @unchecked Sendable {
    let port: Int
    let log: URL
    private let child: ChildProcess

    static let script = #"""
        import http.server, json, ssl, sys
        cert, key, client_ca, port_file, log_file = sys.argv[1:6]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with open(log_file, "a") as log:
                    log.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization")}) + "\n")
                s = json.loads(body)
                answer = json.dumps({"status": "stored", "agent": s["agent"], "date": s["date"],
                                     "revision": s["revision"], "digest": s["digest"]}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            def log_message(self, *args):
                pass
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca != "-":
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        import os
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#

    /// Starts the server with `certificates`' server certificate; `requireClientCertificate` makes
    /// it refuse any client without a certificate from the client CA.
    init(_ certificates: TestCertificates, requireClientCertificate: Bool) async throws {
        let folder = certificates.folder
        let label = requireClientCertificate ? "mtls" : "tls"
        let script = folder.appendingPathComponent("server.py")
        try Data(Self.script.utf8).write(to: script)
        let portFile = folder.appendingPathComponent("\(label).port")
        log = folder.appendingPathComponent("\(label).requests")
        try? FileManager.default.removeItem(at: portFile)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let child = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                 ["python3", script.path, certificates.serverCert.path, certificates.serverKey.path,
                                  requireClientCertificate ? certificates.clientCA.path : "-", portFile.path, log.path],
                                 folder: folder, label: "server-\(label)")
        var port = 0
        try await E2E.wait(seconds: 20, for: "the TLS test server to listen") {
            port = Int((try? String(contentsOf: portFile, encoding: .utf8)) ?? "") ?? 0
            return port > 0 || !child.isRunning
        }
        guard port > 0 else { throw E2EFailure("the TLS test server did not start: \(child.errors)") }
        self.child = child
        self.port = port
    }

    var url: URL { URL(string: "https://127.0.0.1:\(port)")! }

    /// The `Authorization` header of every request received, in order.
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() { child.terminate(seconds: 5) }
}
