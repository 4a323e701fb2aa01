import Foundation
import Gateway
import HTTP2Transport
import Testing
import Transcoder

/// Runs every golden scenario folder (see ``Scenario``) through the real HTTP/1.1 server and
/// pipeline, against a ``ScriptedBackend``. A failure names the folder.
@Suite("Golden scenarios")
struct ScenarioTests {
    static let codec = ProtoJSONCodec(pool: GatewayTestSupport.pool)

    @Test func thereAreEnoughScenarios() {
        #expect(Scenario.names.count >= 40, "\(Scenario.names)")
    }

    @Test(arguments: Scenario.names)
    func scenario(_ name: String) async throws {
        let scenario = try Scenario(named: name)
        let backend = try await ScriptedBackend.start(reply: scenario.reply, codec: Self.codec)
        var configuration = GatewayConfiguration()
        if let yaml = scenario.configYAML {
            configuration = try GatewayConfigFile(
                yaml: "backends: [{endpoint: '127.0.0.1:1'}]\n" + yaml, file: "\(name)/config.yaml"
            ).configuration
        }
        let backends = BackendDirectory(
            targets: [.init(host: "127.0.0.1", port: backend.port)], group: GatewayTestSupport.group,
            connectTimeout: .seconds(2))
        let pipeline = GatewayPipeline(routes: GatewayTestSupport.routes, backends: backends, configuration: configuration)
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0, pipeline: pipeline, group: GatewayTestSupport.group)
        let request = scenario.request
        let port = server.port
        let outcome: Result<[UInt8], any Error>
        do {
            outcome = .success(try await RawHTTPExchange.exchangeOnThread(request, port: port))
        } catch {
            outcome = .failure(error)
        }
        await server.shutDown(drainTimeout: .seconds(1))
        await backends.close()
        await backend.shutDown()
        let reply = try RawHTTPExchange.parse(try outcome.get(), isHead: request.starts(with: "HEAD ".utf8))
        try checkResponse(reply, scenario)
        try checkUpstream(backend.calls, scenario)
    }

    func checkResponse(_ reply: HTTPReply, _ scenario: Scenario) throws {
        let file = "\(scenario.name)/response.json"
        let want = try scenarioObject(scenario.response, file)
        #expect(reply.status == (want["status"] as? NSNumber)?.intValue, "\(file): status; got \(reply)")
        for (name, value) in (want["headers"] as? [String: String]) ?? [:] {
            let got = reply.header(name)
            #expect(got != nil && (value == "*" || got == value), "\(file): header \(name): want \(value), got \(got ?? "none")")
        }
        for name in (want["absentHeaders"] as? [String]) ?? [] {
            #expect(reply.header(name) == nil, "\(file): header \(name) should be absent; got \(reply.header(name)!)")
        }
        if let body = want["body"] {
            let got = try? JSONSerialization.jsonObject(with: Data(reply.body), options: [.fragmentsAllowed])
            let mismatch = got.map { JSONMatch.mismatch(want: body, got: $0, at: "body") } ?? "body is not JSON"
            #expect(mismatch == nil, "\(file): \(mismatch ?? ""); got \(reply.text)")
        }
        if let lines = want["ndjson"] as? [Any] {
            let got = reply.text.split(separator: "\n").map { parseJSON(String($0)) as Any }
            let mismatch = JSONMatch.mismatch(want: lines, got: got, at: "ndjson")
            #expect(reply.text.hasSuffix("\n") || lines.isEmpty, "\(file): NDJSON must end in a newline")
            #expect(mismatch == nil, "\(file): \(mismatch ?? ""); got \(reply.text)")
        }
        if let events = want["sse"] as? [Any] {
            let got: [Any] = reply.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
                var event: [String: Any] = [:]
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event["event"] = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { event["data"] = parseJSON(String(line.dropFirst(6))) ?? NSNull() }
                }
                return event
            }
            let mismatch = JSONMatch.mismatch(want: events, got: got, at: "sse")
            #expect(mismatch == nil, "\(file): \(mismatch ?? ""); got \(reply.text)")
        }
        if let text = want["text"] as? String {
            #expect(reply.text == text, "\(file): body text; got \(reply.text)")
        }
    }

    func checkUpstream(_ calls: [ScriptedBackend.Received], _ scenario: Scenario) throws {
        let file = "\(scenario.name)/upstream.json"
        guard let upstream = scenario.upstream else {
            #expect(calls.isEmpty, "\(scenario.name): the backend must not be called; got \(calls.count) call(s)")
            return
        }
        let want = try scenarioObject(upstream, file)
        guard calls.count == 1, let call = calls.first else {
            Issue.record("\(file): want one backend call, got \(calls.count)")
            return
        }
        let path = call.headers[first: ":path"] ?? ""
        #expect(path == want["path"] as? String, "\(file): path; got \(path)")
        if let message = want["message"] {
            let method = GatewayTestSupport.pool.method(named: path.dropFirst().replacingOccurrences(of: "/", with: "."))
            let index = try #require(method?.inputIndex, "\(file): unknown method \(path)")
            #expect(call.messages.count == 1, "\(file): want one request message, got \(call.messages.count)")
            let json = try Self.codec.json(fromProtobuf: call.messages.first ?? [], messageIndex: index)
            let got = try JSONSerialization.jsonObject(with: Data(json))
            let mismatch = JSONMatch.mismatch(want: message, got: got, at: "message")
            #expect(mismatch == nil, "\(file): \(mismatch ?? ""); got \(String(decoding: json, as: UTF8.self))")
        }
        for (name, value) in (want["metadata"] as? [String: String]) ?? [:] {
            let got = call.headers[all: name]
            #expect(
                !got.isEmpty && (value == "*" || got == [value]),
                "\(file): metadata \(name): want \(value), got \(got)")
        }
        for name in (want["absentMetadata"] as? [String]) ?? [] {
            #expect(call.headers[first: name] == nil, "\(file): metadata \(name) should be absent")
        }
    }
}

/// JSON comparison by meaning, with `~prefix` strings, naming the first difference's path.
enum JSONMatch {
    static func mismatch(want: Any, got: Any, at path: String) -> String? {
        switch (want, got) {
        case (let want as [String: Any], let got as [String: Any]):
            for key in Set(want.keys).union(got.keys).sorted() {
                guard let w = want[key] else { return "\(path).\(key): unexpected" }
                guard let g = got[key] else { return "\(path).\(key): missing" }
                if let problem = mismatch(want: w, got: g, at: "\(path).\(key)") { return problem }
            }
            return nil
        case (let want as [Any], let got as [Any]):
            guard want.count == got.count else { return "\(path): \(got.count) elements, want \(want.count)" }
            for (index, (w, g)) in zip(want, got).enumerated() {
                if let problem = mismatch(want: w, got: g, at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case (let want as String, let got as String):
            if want.hasPrefix("~") { return got.hasPrefix(want.dropFirst()) ? nil : "\(path): '\(got)' lacks prefix '\(want.dropFirst())'" }
            return want == got ? nil : "\(path): '\(got)', want '\(want)'"
        case (is NSNull, is NSNull):
            return nil
        case (let want as NSNumber, let got as NSNumber):
            return want.isEqual(got) ? nil : "\(path): \(got), want \(want)"
        default:
            return "\(path): \(got), want \(want)"
        }
    }
}
