import ProtoWire

/// One HTTP route to one RPC method: an HTTP method and path template, plus the rules that say
/// how a request's path, query and body become the request message (`google/api/http.proto`).
public struct Route: Sendable {
    /// Which part of the request message the HTTP body fills (`HttpRule.body`).
    public enum Body: Sendable, Hashable {
        /// No body: every field not bound by the path may come from the query.
        case none
        /// `body: "*"`: the body is the whole request message; the query binds nothing.
        case wholeMessage
        /// `body: "field"`: the body is this top-level field's value.
        case field(FieldPath)
    }

    /// How an RPC streams (gRPC's four method kinds).
    public enum StreamingKind: String, Sendable, Hashable {
        case unary
        case serverStreaming = "server-streaming"
        case clientStreaming = "client-streaming"
        case bidirectionalStreaming = "bidi-streaming"
    }

    /// Where a route came from.
    public enum Origin: Sendable, Hashable {
        /// The method's `google.api.http` rule (index 0) or one of its `additional_bindings`
        /// (index 1 onwards).
        case annotation(bindingIndex: Int)
        /// The automatic `POST /package.Service/Method` route with `body: "*"`.
        case autoMapped
    }

    /// A path variable and the request field it fills.
    public struct PathBinding: Sendable, Hashable {
        public let fieldPath: FieldPath
        /// Indices into the template's segments that the variable captures.
        public let segments: Range<Int>
        /// Whether the capture runs to the end of the path (`**`).
        public let extendsToEnd: Bool
        /// How the captured text is percent-decoded (`google/api/http.proto`: single-segment
        /// variables decode everything but reserved characters, multi-segment ones keep `%2F`).
        public let isMultiSegment: Bool
    }

    /// `GET`, `POST`, …, or a custom kind such as `HEAD`.
    public let httpMethod: String
    public let template: PathTemplate
    /// The RPC this route calls.
    public let method: MethodDescriptor
    public let body: Body
    /// The response field sent as the HTTP body (`HttpRule.response_body`), or nil for the whole
    /// response.
    public let responseBody: FieldPath?
    public let pathBindings: [PathBinding]
    public let origin: Origin

    /// `package.Service/Method`, the gRPC path without its leading slash.
    public var rpcName: String { String(method.grpcPath.dropFirst()) }

    public var streamingKind: StreamingKind {
        switch (method.isClientStreaming, method.isServerStreaming) {
        case (false, false): .unary
        case (false, true): .serverStreaming
        case (true, false): .clientStreaming
        case (true, true): .bidirectionalStreaming
        }
    }
}
