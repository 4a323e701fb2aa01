/// An ordered HTTP/2 field list (RFC 9113 §8.2), pseudo-header fields first.
///
/// Names are lowercase as HTTP/2 requires (RFC 9113 §8.2.1); nghttp2 rejects anything else on
/// receipt, and `HTTP2Session` lowercases nothing on send, so callers pass lowercase names.
public struct HTTP2Headers: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral {
    /// One field: name and value as received (values may hold any visible octets).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field]

    public init() { fields = [] }
    /// An empty list with room for `minimumCapacity` fields, so that adding them does not regrow it.
    public init(minimumCapacity: Int) {
        fields = []
        fields.reserveCapacity(minimumCapacity)
    }
    public init(_ pairs: [(String, String)]) { fields = pairs.map { Field(name: $0.0, value: $0.1) } }
    public init(arrayLiteral elements: (String, String)...) { self.init(elements) }

    /// Makes room for `minimumCapacity` fields, so that adding up to that many does not regrow
    /// the list (and a list shared with another copies once, at its final size).
    public mutating func reserveCapacity(_ minimumCapacity: Int) { fields.reserveCapacity(minimumCapacity) }
    public mutating func add(name: String, value: String) { fields.append(Field(name: name, value: value)) }
    public mutating func add(contentsOf other: HTTP2Headers) { fields.append(contentsOf: other.fields) }
    /// A copy in storage of its own, exactly as large as `other`'s fields.
    init(copying other: HTTP2Headers) {
        fields = []
        fields.reserveCapacity(other.count)
        fields.append(contentsOf: other.fields)  // element by element: never shares `other`'s storage
    }
    /// Empties the list, keeping its storage (the session's scratch block).
    mutating func removeAll(keepingCapacity: Bool) { fields.removeAll(keepingCapacity: keepingCapacity) }
    public mutating func remove(name: String) { fields.removeAll { $0.name == name } }
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// The first value of `name`, if any.
    public subscript(first name: String) -> String? { fields.first { $0.name == name }?.value }
    /// Every value of `name`, in order.
    public subscript(all name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The size the field list counts against SETTINGS_MAX_HEADER_LIST_SIZE: every name and value
    /// plus 32 octets of overhead per field (RFC 9113 §6.5.2).
    public var listSize: Int { fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 } }
}
