import Foundation

/// One golden scenario: a folder that says what an HTTP request must turn into upstream, what
/// the backend answers, and what the client must get back. ``GoldenRunner`` plays it through
/// the real server and pipeline against a scripted backend; `grpc-gateway golden` runs folders
/// of them against a user's own schemas.
///
/// - `request.http`: the HTTP/1.1 request as text (request line, header lines, blank line, body;
///   `\n` line ends become CRLF in the head). `host: gateway.test`, `content-length` and
///   `connection: close` are added when absent. `request.raw` instead is sent exactly as
///   written (LF → CRLF everywhere, nothing added), for malformed requests.
/// - `upstream.json` (optional): what the backend must receive: `path`, `message` (JSON of the
///   request type, compared by meaning after decoding the received bytes), `metadata` (name →
///   value, `"*"` = any value) and `absentMetadata`. Without it the backend must not be called.
/// - `reply.json` (optional): the backend's scripted answer; see ``GoldenReply``.
/// - `response.json`: the expected HTTP answer: `status`, `headers` (name → value, `"*"` = any),
///   `absentHeaders`, and the body as `body` (JSON by meaning), `ndjson` (a list, one JSON value
///   per line), `sse` (a list of `{"event"?, "data"}`), or `text` (exact).
/// - `config.yaml` (optional): `gateway.yaml` keys (limits, timeouts, json) for this scenario.
///
/// In expected JSON, a string starting with `~` matches any string starting with the rest.
public struct GoldenScenario: Sendable {
    /// The folder's name; problems are reported as `name/file: …`.
    public let name: String
    let request: [UInt8]
    let upstream: String?
    let reply: GoldenReply
    let response: String
    let configYAML: String?

    /// Reads the scenario in `folder`.
    public init(folder: String) throws(GoldenError) {
        let url = URL(fileURLWithPath: folder)
        name = url.lastPathComponent
        func read(_ file: String) -> String? {
            (try? Data(contentsOf: url.appendingPathComponent(file))).map { String(decoding: $0, as: UTF8.self) }
        }
        if let raw = read("request.raw") {
            request = Array(raw.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        } else if let text = read("request.http") {
            request = Self.requestBytes(text)
        } else {
            throw GoldenError("\(name): no request.http or request.raw")
        }
        upstream = read("upstream.json")
        reply = try GoldenReply(json: read("reply.json") ?? "{}", file: "\(name)/reply.json")
        guard let response = read("response.json") else { throw GoldenError("\(name): no response.json") }
        self.response = response
        configYAML = read("config.yaml")
    }

    /// The scenario folders `path` names: itself when it holds a `response.json`, else its
    /// subfolders that do, sorted by name.
    public static func folders(at path: String) throws(GoldenError) -> [String] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/response.json") { return [path] }
        guard let entries = try? manager.contentsOfDirectory(atPath: path) else {
            throw GoldenError("\(path): not a readable directory")
        }
        return entries.sorted().map { path + "/" + $0 }.filter { manager.fileExists(atPath: $0 + "/response.json") }
    }

    /// The request line and headers with CRLF, the defaults added, then the body (one trailing
    /// newline of the file dropped).
    static func requestBytes(_ text: String) -> [UInt8] {
        let parts = text.components(separatedBy: "\n\n")
        var headLines = parts[0].split(separator: "\n").map(String.init)
        var body = parts.dropFirst().joined(separator: "\n\n")
        if body.hasSuffix("\n") { body.removeLast() }
        let names = Set(headLines.dropFirst().compactMap { $0.split(separator: ":").first?.lowercased() })
        if !names.contains("host") { headLines.append("host: gateway.test") }
        if !names.contains("connection") { headLines.append("connection: close") }
        if !body.isEmpty && !names.contains("content-length") && !names.contains("transfer-encoding") {
            headLines.append("content-length: \(body.utf8.count)")
        }
        return Array((headLines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }
}

/// A scenario that cannot be read or played, named by folder and file.
public struct GoldenError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A JSON object from a scenario file; names the file when it is not one.
func goldenObject(_ text: String, _ file: String) throws(GoldenError) -> [String: Any] {
    guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw GoldenError("\(file): expected a JSON object")
    }
    return value
}
