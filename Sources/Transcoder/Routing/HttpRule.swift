import ProtoWire

/// One `google.api.HttpRule`: how an RPC method is exposed as an HTTP route
/// (`google/api/http.proto`).
///
/// Read it from a method's options with ``HttpRule/init(methodOptions:)``; the route table
/// builder parses ``path`` and validates ``body`` and ``responseBody`` against the descriptors.
public struct HttpRule: Sendable, Hashable {
    /// The HTTP method and path template (the `pattern` oneof of `HttpRule`).
    public struct Pattern: Sendable, Hashable {
        /// The HTTP method: `GET`, `PUT`, `POST`, `DELETE`, `PATCH`, or a `custom.kind`.
        public var method: String
        /// The path template, e.g. `/v1/{name=shelves/*}`.
        public var path: String

        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }
    }

    /// `selector` (field 1); only meaningful inside `google.api.Http.rules`.
    public var selector: String = ""
    /// The `pattern` oneof (fields 2–6 and 8); nil when the rule sets none.
    public var pattern: Pattern?
    /// `body` (field 7): `""` for no body, `"*"` for the whole request, or a top-level field name.
    public var body: String = ""
    /// `response_body` (field 12): `""` for the whole response, or a top-level field name.
    public var responseBody: String = ""
    /// `additional_bindings` (field 11): more routes for the same method.
    public var additionalBindings: [HttpRule] = []

    public init(
        pattern: Pattern? = nil, body: String = "", responseBody: String = "", additionalBindings: [HttpRule] = []
    ) {
        self.pattern = pattern
        self.body = body
        self.responseBody = responseBody
        self.additionalBindings = additionalBindings
    }
}
