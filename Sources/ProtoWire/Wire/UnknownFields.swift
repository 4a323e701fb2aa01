/// Fields a decoder did not recognise, kept byte for byte in the order they arrived, so that a
/// re-encode reproduces them exactly (protobuf "unknown fields" semantics).
public struct UnknownFields: Hashable, Sendable {
    /// The raw fields, tags included, concatenated.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var isEmpty: Bool { bytes.isEmpty }

    /// Appends one raw field, as returned by ``WireReader/skipField(_:)``.
    public mutating func append(_ rawField: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: rawField)
    }

    /// Writes the kept fields verbatim.
    public func write(to writer: inout WireWriter) {
        writer.writeRaw(bytes)
    }
}
