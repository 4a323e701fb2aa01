import Foundation

/// One golden scenario folder of `Tests/GatewayTests/Scenarios/<name>/`:
///
/// - `request.http`: the HTTP/1.1 request as text (request line, header lines, blank line, body;
///   `\n` line ends become CRLF in the head). The runner adds `host: gateway.test`,
///   `content-length` and `connection: close` when absent. `request.raw` instead is sent exactly
///   as written (LF → CRLF everywhere, nothing added), for malformed requests.
/// - `upstream.json` (optional): what the backend must receive: `path`, `message` (JSON of the
///   request type, compared by meaning after decoding the received bytes), `metadata` (name →
///   value, `"*"` = any value) and `absentMetadata`. Without it the backend must not be called.
/// - `reply.json` (optional): the backend's scripted answer; see ``ScriptedReply``.
/// - `response.json`: the expected HTTP answer: `status`, `headers` (name → value, `"*"` = any),
///   `absentHeaders`, and the body as `body` (JSON by meaning), `ndjson` (a list, one JSON value
///   per line), `sse` (a list of `{"event"?, "data"}`), or `text` (exact).
/// - `config.yaml` (optional): `gateway.yaml` keys (limits, timeouts, json) for this scenario.
///
/// In expected JSON, a string starting with `~` matches any string starting with the rest.
struct Scenario: Sendable {
    let name: String
    let request: [UInt8]
    /// `upstream.json`, `reply.json` and `response.json` as text (parsed where used).
    let upstream: String?
    let reply: ScriptedReply
    let response: String
    let configYAML: String?

    static let directory = GatewayTestSupport.root.appendingPathComponent("Tests/GatewayTests/Scenarios")

    /// Every folder's name, sorted.
    static var names: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return entries.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
    }

    init(named name: String) throws {
        self.name = name
        let folder = Self.directory.appendingPathComponent(name)
        func read(_ file: String) -> String? {
            (try? Data(contentsOf: folder.appendingPathComponent(file))).map { String(decoding: $0, as: UTF8.self) }
        }
        if let raw = read("request.raw") {
            request = Array(raw.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        } else if let text = read("request.http") {
            request = Self.requestBytes(text)
        } else {
            throw TestFailure("\(name): no request.http or request.raw")
        }
        upstream = read("upstream.json")
        reply = try ScriptedReply(json: read("reply.json") ?? "{}", scenario: name)
        guard let response = read("response.json") else { throw TestFailure("\(name): no response.json") }
        self.response = response
        configYAML = read("config.yaml")
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

/// A JSON object from a scenario file; names the file when it is not one.
func scenarioObject(_ text: String, _ file: String) throws -> [String: Any] {
    guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw TestFailure("\(file): expected a JSON object")
    }
    return value
}
