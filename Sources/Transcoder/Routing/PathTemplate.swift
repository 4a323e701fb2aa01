/// A parsed `google.api.http` path template (`google/api/http.proto`, "Path template syntax").
///
/// ```
/// Template = "/" Segments [ Verb ] ;
/// Segments = Segment { "/" Segment } ;
/// Segment  = "*" | "**" | LITERAL | Variable ;
/// Variable = "{" FieldPath [ "=" Segments ] "}" ;
/// FieldPath = IDENT { "." IDENT } ;
/// Verb     = ":" LITERAL ;
/// ```
///
/// Variables are flattened: `/v1/{name=shelves/*}/books` has the segments
/// `v1`, `shelves`, `*`, `books`, and one variable covering segments 1..<3. A variable without
/// `=Segments` is `{name=*}`.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One path segment of the template.
    public enum Segment: Sendable, Hashable, CustomStringConvertible {
        /// Matches exactly this text.
        case literal(String)
        /// `*`: matches one non-empty segment.
        case wildcard
        /// `**`: matches zero or more segments; only ever the last segment.
        case multiWildcard

        public var description: String {
            switch self {
            case .literal(let text): text
            case .wildcard: "*"
            case .multiWildcard: "**"
            }
        }
    }

    /// A `{field.path=...}` variable and the segments it captures.
    public struct Variable: Sendable, Hashable {
        /// The dotted field path, e.g. `["book", "name"]`.
        public let fieldPath: [String]
        /// Indices into ``PathTemplate/segments`` this variable covers.
        public let segments: Range<Int>

        /// True when the variable may capture more than one segment (`{name=shelves/*}` or
        /// `{name=**}`); such values keep `%2F` encoded (`google/api/http.proto`).
        public let isMultiSegment: Bool

        /// `book.name`.
        public var dottedPath: String { fieldPath.joined(separator: ".") }
    }

    /// The template as written.
    public let text: String
    public let segments: [Segment]
    public let variables: [Variable]
    /// The custom verb after the last segment (`:cancel` gives `cancel`), or nil.
    public let verb: String?

    /// The most segments a template may have; the matcher's per-request storage is sized by it.
    public static let maximumSegmentCount = 32

    /// True when the template ends in `**`.
    public var endsInMultiWildcard: Bool { segments.last == .multiWildcard }

    /// The template with variables removed: `/v1/shelves/*/books/**:verb`. Two templates with the
    /// same shape match the same paths.
    public var shape: String {
        "/" + segments.map(\.description).joined(separator: "/") + (verb.map { ":" + $0 } ?? "")
    }

    public var description: String { text }

    init(text: String, segments: [Segment], variables: [Variable], verb: String?) {
        self.text = text
        self.segments = segments
        self.variables = variables
        self.verb = verb
    }
}
