/// A route table rendered for people and tools: `grpc-gateway routes` prints it, and the golden
/// listings under `Tests/TranscoderTests/RoutingFixtures/` pin it.
public enum RouteListing {
    /// One route's columns.
    public struct Row: Sendable, Hashable {
        public let httpMethod: String
        public let template: String
        /// `package.Service/Method`.
        public let rpc: String
        /// `-` for none, `*` for the whole message, or the field name.
        public let body: String
        /// `-` for the whole response, or the field name.
        public let responseBody: String
        public let streaming: String
        public let autoMapped: Bool
    }

    /// Every route, sorted by template, then HTTP method, then RPC.
    public static func rows(_ table: RouteTable) -> [Row] {
        table.routes.map { route in
            let body: String
            switch route.body {
            case .none: body = "-"
            case .wholeMessage: body = "*"
            case .field(let field): body = field.description
            }
            return Row(
                httpMethod: route.httpMethod, template: route.template.text, rpc: route.rpcName, body: body,
                responseBody: route.responseBody?.description ?? "-", streaming: route.streamingKind.rawValue,
                autoMapped: route.origin == .autoMapped)
        }.sorted { ($0.template, $0.httpMethod, $0.rpc) < ($1.template, $1.httpMethod, $1.rpc) }
    }

    /// One line per route: `GET /v1/shelves/{shelf} pkg.Bookstore/GetShelf body=- response_body=- unary`,
    /// with ` auto` appended for automatic routes.
    public static func text(_ table: RouteTable) -> String {
        rows(table).map { row in
            "\(row.httpMethod) \(row.template) \(row.rpc) body=\(row.body) response_body=\(row.responseBody) "
                + row.streaming + (row.autoMapped ? " auto" : "")
        }.joined(separator: "\n")
    }

    /// A JSON array of route objects, one per line.
    public static func json(_ table: RouteTable) -> String {
        let objects = rows(table).map { row in
            "{\"method\":\(quoted(row.httpMethod)),\"template\":\(quoted(row.template)),\"rpc\":\(quoted(row.rpc)),"
                + "\"body\":\(quoted(row.body)),\"responseBody\":\(quoted(row.responseBody)),"
                + "\"streaming\":\(quoted(row.streaming)),\"autoMapped\":\(row.autoMapped)}"
        }
        return objects.isEmpty ? "[]" : "[\n  " + objects.joined(separator: ",\n  ") + "\n]"
    }

    /// A JSON string literal (RFC 8259 §7).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
