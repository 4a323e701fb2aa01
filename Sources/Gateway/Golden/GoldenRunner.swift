import Foundation
import HTTP2Transport
import NIOCore
import ProtoWire
import Transcoder

/// Plays ``GoldenScenario``s through the real thing: for each one, a ``GatewayServer`` with the
/// scenario's configuration on loopback, in front of a ``GoldenBackend`` that records what it
/// receives and answers as scripted. The request goes in as raw bytes; the answer and the
/// upstream call are compared with the scenario's expectations.
///
/// ```swift
/// let runner = GoldenRunner(routes: try RouteTable(pool: pool), group: group)
/// for folder in try GoldenScenario.folders(at: "golden") {
///     let problems = await runner.run(try GoldenScenario(folder: folder))
/// }
/// ```
public struct GoldenRunner: Sendable {
    public let routes: RouteTable
    let codec: ProtoJSONCodec
    let group: any EventLoopGroup

    public init(routes: RouteTable, group: any EventLoopGroup) {
        self.routes = routes
        codec = ProtoJSONCodec(pool: routes.pool)
        self.group = group
    }

    /// Runs one scenario; returns what differs from its expectations, each as `name/file: …`
    /// (empty when it passes).
    public func run(_ scenario: GoldenScenario) async -> [String] {
        do {
            return try await play(scenario)
        } catch {
            return ["\(scenario.name): \(error)"]
        }
    }

    private func play(_ scenario: GoldenScenario) async throws -> [String] {
        var configuration = GatewayConfiguration()
        if let yaml = scenario.configYAML {
            configuration = try GatewayConfigFile(
                yaml: "backends: [{endpoint: '127.0.0.1:1'}]\n" + yaml, file: "\(scenario.name)/config.yaml"
            ).configuration
        }
        let backend = try await GoldenBackend.start(reply: scenario.reply, codec: codec, group: group)
        let backends = BackendDirectory(
            targets: [.init(host: "127.0.0.1", port: backend.port)], group: group, connectTimeout: .seconds(2))
        let pipeline = GatewayPipeline(routes: routes, backends: backends, configuration: configuration)
        let outcome: Result<[UInt8], any Error>
        do {
            let server = try await GatewayServer.start(host: "127.0.0.1", port: 0, pipeline: pipeline, group: group)
            do {
                outcome = .success(try await GoldenExchange.exchangeOnThread(scenario.request, port: server.port))
            } catch {
                outcome = .failure(error)
            }
            await server.shutDown(drainTimeout: .seconds(1))
        } catch {
            outcome = .failure(error)
        }
        await backends.close()
        await backend.shutDown()
        let reply = try GoldenExchange.parse(try outcome.get(), isHead: scenario.request.starts(with: "HEAD ".utf8))
        return try checkResponse(reply, scenario) + checkUpstream(backend.calls, scenario)
    }

    func checkResponse(_ reply: GoldenHTTPReply, _ scenario: GoldenScenario) throws(GoldenError) -> [String] {
        let file = "\(scenario.name)/response.json"
        let want = try goldenObject(scenario.response, file)
        var problems: [String] = []
        if reply.status != (want["status"] as? NSNumber)?.intValue {
            problems.append("\(file): status \(reply.status), want \(want["status"] ?? "none"); got \(reply)")
        }
        for (name, value) in ((want["headers"] as? [String: String]) ?? [:]).sorted(by: { $0.key < $1.key }) {
            let got = reply.header(name)
            if got == nil || (value != "*" && got != value) {
                problems.append("\(file): header \(name): want \(value), got \(got ?? "none")")
            }
        }
        for name in (want["absentHeaders"] as? [String]) ?? [] {
            if let got = reply.header(name) { problems.append("\(file): header \(name) should be absent; got \(got)") }
        }
        if let body = want["body"] {
            let got = try? JSONSerialization.jsonObject(with: Data(reply.body), options: [.fragmentsAllowed])
            if let mismatch = got.map({ GoldenJSON.mismatch(want: body, got: $0, at: "body") }) ?? "body is not JSON" {
                problems.append("\(file): \(mismatch); got \(reply.text)")
            }
        }
        if let lines = want["ndjson"] as? [Any] {
            let got = reply.text.split(separator: "\n").map { GoldenJSON.parse(String($0)) as Any }
            if !reply.text.hasSuffix("\n") && !lines.isEmpty { problems.append("\(file): NDJSON must end in a newline") }
            if let mismatch = GoldenJSON.mismatch(want: lines, got: got, at: "ndjson") {
                problems.append("\(file): \(mismatch); got \(reply.text)")
            }
        }
        if let events = want["sse"] as? [Any] {
            let got: [Any] = reply.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
                var event: [String: Any] = [:]
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event["event"] = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { event["data"] = GoldenJSON.parse(String(line.dropFirst(6))) ?? NSNull() }
                }
                return event
            }
            if let mismatch = GoldenJSON.mismatch(want: events, got: got, at: "sse") {
                problems.append("\(file): \(mismatch); got \(reply.text)")
            }
        }
        if let text = want["text"] as? String, reply.text != text {
            problems.append("\(file): body text; got \(reply.text)")
        }
        return problems
    }

    func checkUpstream(_ calls: [GoldenBackend.Received], _ scenario: GoldenScenario) throws -> [String] {
        let file = "\(scenario.name)/upstream.json"
        guard let upstream = scenario.upstream else {
            return calls.isEmpty ? [] : ["\(scenario.name): the backend must not be called; got \(calls.count) call(s)"]
        }
        let want = try goldenObject(upstream, file)
        guard calls.count == 1, let call = calls.first else { return ["\(file): want one backend call, got \(calls.count)"] }
        var problems: [String] = []
        let path = call.headers[first: ":path"] ?? ""
        if path != want["path"] as? String { problems.append("\(file): path \(path), want \(want["path"] ?? "none")") }
        if let message = want["message"] {
            guard let index = routes.pool.method(named: path.dropFirst().replacingOccurrences(of: "/", with: "."))?.inputIndex
            else { return problems + ["\(file): the backend was called with an unknown method \(path)"] }
            if call.messages.count != 1 {
                problems.append("\(file): want one request message, got \(call.messages.count)")
            }
            let json = try codec.json(fromProtobuf: call.messages.first ?? [], messageIndex: index)
            let got = try JSONSerialization.jsonObject(with: Data(json))
            if let mismatch = GoldenJSON.mismatch(want: message, got: got, at: "message") {
                problems.append("\(file): \(mismatch); got \(String(decoding: json, as: UTF8.self))")
            }
        }
        for (name, value) in ((want["metadata"] as? [String: String]) ?? [:]).sorted(by: { $0.key < $1.key }) {
            let got = call.headers[all: name]
            if got.isEmpty || (value != "*" && got != [value]) {
                problems.append("\(file): metadata \(name): want \(value), got \(got)")
            }
        }
        for name in (want["absentMetadata"] as? [String]) ?? [] where call.headers[first: name] != nil {
            problems.append("\(file): metadata \(name) should be absent")
        }
        return problems
    }
}

/// JSON comparison by meaning, with `~prefix` strings, naming the first difference's path.
enum GoldenJSON {
    static func parse(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Whether JSONSerialization read `number` from `true` or `false` (a boolean's type
    /// encoding is `c`; parsed numbers are integers or doubles).
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

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
            if want.hasPrefix("~") {
                return got.hasPrefix(want.dropFirst()) ? nil : "\(path): '\(got)' lacks prefix '\(want.dropFirst())'"
            }
            return want == got ? nil : "\(path): '\(got)', want '\(want)'"
        case (is NSNull, is NSNull):
            return nil
        case (let want as NSNumber, let got as NSNumber):
            // NSNumber equality has true == 1; JSON does not.
            guard isBoolean(want) == isBoolean(got), want.isEqual(got) else { return "\(path): \(got), want \(want)" }
            return nil
        default:
            return "\(path): \(got), want \(want)"
        }
    }
}
