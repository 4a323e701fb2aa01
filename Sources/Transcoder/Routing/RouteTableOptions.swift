/// Choices a deployment makes about routing; the defaults are strict and predictable.
public struct RouteTableOptions: Sendable, Hashable {
    /// Whether every method, annotated or not, is also served as `POST /package.Service/Method`
    /// with the whole request message as the JSON body. On by default: it is how grpc-web and
    /// Connect-style clients address methods, and it makes unannotated methods reachable. An
    /// annotated route with the same method and path wins over the automatic one.
    public var autoMapping: Bool = true
    public var trailingSlash: TrailingSlashPolicy = .strict
    public var unknownQueryParameters: UnknownQueryParameterPolicy = .reject

    public init(
        autoMapping: Bool = true, trailingSlash: TrailingSlashPolicy = .strict,
        unknownQueryParameters: UnknownQueryParameterPolicy = .reject
    ) {
        self.autoMapping = autoMapping
        self.trailingSlash = trailingSlash
        self.unknownQueryParameters = unknownQueryParameters
    }
}

/// What happens to a query parameter that names no field the query may fill: an unknown
/// field, a field bound by the path or the body, or any parameter when `body` is `*`.
public enum UnknownQueryParameterPolicy: String, Sendable, Hashable {
    /// Answer 400 `INVALID_ARGUMENT` naming the parameter. The default: a misspelt parameter
    /// (`?page_sise=10`) would otherwise be silently dropped and the caller would get a
    /// plausible but wrong answer; failing loudly is the gateway's stance on every input.
    case reject
    /// Drop it, as Google's ESP and grpc-ecosystem/grpc-gateway do; for clients that add
    /// cache-busting or tracking parameters.
    case ignore
}
