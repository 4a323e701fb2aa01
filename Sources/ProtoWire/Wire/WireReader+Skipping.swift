extension WireReader {
    /// Skips the value of the field whose tag was just read, and returns the offsets of the whole
    /// field, tag included, so that an unknown field can be kept byte for byte.
    ///
    /// Groups are skipped to their matching end-group tag, checking every nested group and the
    /// depth limit. An end-group tag here has no open group and is an error.
    @discardableResult
    public mutating func skipField(_ tag: FieldTag) throws(WireDecodingError) -> Range<Int> {
        let start = lastTagStart
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimitedRange()
        case .startGroup: _ = try skipGroup(fieldNumber: tag.fieldNumber, depth: depth + 1)
        case .endGroup: throw WireDecodingError(.unexpectedEndGroup, at: start)
        }
        return start..<position
    }

    /// Returns a reader over the contents of the group whose start tag was just read (the end tag
    /// excluded), one level deeper, and advances past the end tag.
    public mutating func enterGroup(_ tag: FieldTag) throws(WireDecodingError) -> WireReader {
        precondition(tag.wireType == .startGroup, "enterGroup needs a start-group tag")
        let contentStart = position
        let contentEnd = try skipGroup(fieldNumber: tag.fieldNumber, depth: depth + 1)
        return WireReader(base: base, range: contentStart..<contentEnd, depth: depth + 1)
    }

    /// Skips to the end-group tag matching `fieldNumber`, and returns the offset where that tag
    /// starts. Iterative, so hostile nesting cannot exhaust the stack.
    private mutating func skipGroup(fieldNumber: UInt32, depth groupDepth: Int) throws(WireDecodingError) -> Int {
        var open: [UInt32] = [fieldNumber]
        var currentDepth = groupDepth
        if currentDepth > WireReader.maximumDepth { throw WireDecodingError(.nestingTooDeep, at: lastTagStart) }
        while true {
            guard let tag = try readTag() else { throw WireDecodingError(.unterminatedGroup, at: position) }
            switch tag.wireType {
            case .varint: _ = try readVarint()
            case .fixed64: _ = try readFixed64()
            case .fixed32: _ = try readFixed32()
            case .lengthDelimited: _ = try readLengthDelimitedRange()
            case .startGroup:
                currentDepth += 1
                if currentDepth > WireReader.maximumDepth {
                    throw WireDecodingError(.nestingTooDeep, at: lastTagStart)
                }
                open.append(tag.fieldNumber)
            case .endGroup:
                guard tag.fieldNumber == open.removeLast() else {
                    throw WireDecodingError(.mismatchedEndGroup, at: lastTagStart)
                }
                currentDepth -= 1
                if open.isEmpty { return lastTagStart }
            }
        }
    }
}
