import HTTP2Transport

/// How a server-streaming reply is framed for an HTTP client, negotiated by `Accept`:
/// a JSON array (the default, `application/json`), newline-delimited JSON
/// (`application/x-ndjson`), or server-sent events (`text/event-stream`, WHATWG HTML
/// §9.2 "Server-sent events"). An error after the first message is reported in-band: a final
/// `{"error":Status}` element or line, or an SSE `event: error`.
public enum StreamingFormat: Sendable, Hashable {
    case jsonArray, ndjson, serverSentEvents

    /// The first of the formats `accept` names, in order; the JSON array when it names none.
    public init(accept: String?) {
        self = .jsonArray
        guard let accept else { return }
        for part in accept.split(separator: ",") {
            let media = part.prefix { $0 != ";" }.filter { $0 != " " }.lowercased()
            switch media {
            case "application/x-ndjson", "application/jsonl": self = .ndjson; return
            case "text/event-stream": self = .serverSentEvents; return
            case "application/json": return
            default: continue
            }
        }
    }

    /// The response `content-type`.
    public var contentType: String {
        switch self {
        case .jsonArray: "application/json"
        case .ndjson: "application/x-ndjson"
        case .serverSentEvents: "text/event-stream"
        }
    }

    /// The bytes for message `index` (0 first).
    func message(_ json: [UInt8], index: Int) -> [UInt8] {
        switch self {
        case .jsonArray: return (index == 0 ? [UInt8(ascii: "[")] : [UInt8(ascii: ",")]) + json
        case .ndjson: return json + [UInt8(ascii: "\n")]
        case .serverSentEvents: return Array("data: ".utf8) + json + Array("\n\n".utf8)
        }
    }

    /// The bytes after `count` messages when the stream ends, with `status` JSON if it failed.
    func end(count: Int, error status: [UInt8]?) -> [UInt8] {
        switch self {
        case .jsonArray:
            var out: [UInt8] = count == 0 ? [UInt8(ascii: "[")] : []
            if let status { out += Array((count == 0 ? #"{"error":"# : #",{"error":"#).utf8) + status + [UInt8(ascii: "}")] }
            return out + [UInt8(ascii: "]")]
        case .ndjson:
            guard let status else { return [] }
            return Array(#"{"error":"#.utf8) + status + Array("}\n".utf8)
        case .serverSentEvents:
            guard let status else { return [] }
            return Array("event: error\ndata: ".utf8) + status + Array("\n\n".utf8)
        }
    }
}
