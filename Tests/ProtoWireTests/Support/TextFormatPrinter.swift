import Foundation
import ProtoWire
import Testing

/// Prints a ``DynamicMessage`` exactly as `protoc --decode` does: protobuf C++ 3.21
/// `TextFormat::Printer` with default options (`text_format.cc`).
///
/// - Fields in number order, extensions among them as `[full.name]`; a group under its type's
///   name; a map field's entries sorted by key, each with both key and value.
/// - Enums by the first declared name for the number, or the bare number.
/// - Strings and bytes C-escaped byte by byte (`CEscape`): UTF-8 comes out as octal escapes.
/// - Floats as `SimpleFtoa` / `SimpleDtoa`: `%.6g` / `%.15g`, or `%.9g` / `%.17g` when the short
///   form does not read back as the same value; `inf`, `-inf`, `nan`.
/// - `google.protobuf.Any` as its raw `type_url` and `value` fields (Any expansion is off).
/// - Unknown fields last, in wire order: varints in decimal, fixed values as `0x%08x` /
///   `0x%016x`, a length-delimited value as a nested block when it parses as a message, else as
///   an escaped string.
enum TextFormatPrinter {
    /// protobuf's `kUnknownFieldRecursionLimit`.
    private static let unknownFieldRecursionLimit = 10

    static func print(_ message: DynamicMessage) -> String {
        var output = ""
        printFields(of: message, indent: "", into: &output)
        return output
    }

    // MARK: Known fields

    private static func printFields(of message: DynamicMessage, indent: String, into output: inout String) {
        let descriptor = message.descriptor
        if descriptor.isMapEntry {
            // Entries print key and value even when absent (`Printer::Print`, map_entry branch).
            for number: Int32 in [1, 2] {
                guard let field = descriptor.field(number: number) else { continue }
                let value = message.value(forField: number) ?? zeroValue(of: field, in: message)
                printValue(value, of: field, in: message, indent: indent, into: &output)
            }
        } else {
            for entry in message.fields {
                guard let field = message.fieldDescriptor(number: entry.number) else {
                    Issue.record("no descriptor for field \(entry.number) of \(descriptor.fullName)")
                    continue
                }
                let values = field.isMap ? sortedMapEntries(entry.values, in: message) : entry.values
                for value in values {
                    printValue(value, of: field, in: message, indent: indent, into: &output)
                }
            }
        }
        WireReader.withUnknownFields(message.unknownFields.bytes) { reader in
            printUnknownFields(&reader, indent: indent, budget: unknownFieldRecursionLimit, into: &output)
        }
    }

    private static func printValue(
        _ value: DynamicValue, of field: FieldDescriptor, in message: DynamicMessage, indent: String,
        into output: inout String
    ) {
        let pool = message.pool
        output += indent
        if field.extendee != nil {
            output += "[\(field.fullName)]"
        } else if field.type == .group, let index = field.messageIndex {
            output += pool.messages[index].name
        } else {
            output += field.name
        }
        switch value {
        case .message(let nested), .group(let nested):
            output += " {\n"
            printFields(of: nested, indent: indent + "  ", into: &output)
            output += indent + "}\n"
            return
        case .int32(let number): output += ": \(number)"
        case .int64(let number): output += ": \(number)"
        case .uint32(let number): output += ": \(number)"
        case .uint64(let number): output += ": \(number)"
        case .float(let number): output += ": " + simpleFtoa(number)
        case .double(let number): output += ": " + simpleDtoa(number)
        case .bool(let flag): output += flag ? ": true" : ": false"
        case .string(let string): output += ": \"" + cEscape(Array(string.utf8)) + "\""
        case .bytes(let bytes): output += ": \"" + cEscape(bytes) + "\""
        case .enum(let number):
            let name = field.enumIndex.flatMap { pool.enums[$0].value(number: number)?.name }
            output += ": " + (name ?? String(number))
        }
        output += "\n"
    }

    private static func zeroValue(of field: FieldDescriptor, in message: DynamicMessage) -> DynamicValue {
        switch field.type {
        case .message, .group: .message(DynamicMessage(messageIndex: field.messageIndex!, pool: message.pool))
        case .int32, .sint32, .sfixed32: .int32(0)
        case .int64, .sint64, .sfixed64: .int64(0)
        case .uint32, .fixed32: .uint32(0)
        case .uint64, .fixed64: .uint64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .bool: .bool(false)
        case .string: .string("")
        case .bytes: .bytes([])
        case .enum: .enum(0)
        }
    }

    /// Map entries ordered by key, as `MapEntryMessageComparator` orders them.
    private static func sortedMapEntries(_ entries: [DynamicValue], in message: DynamicMessage) -> [DynamicValue] {
        func key(_ entry: DynamicValue) -> DynamicValue? {
            guard let entry = entry.messageValue, let keyField = entry.descriptor.field(number: 1) else { return nil }
            return entry.value(forField: 1) ?? zeroValue(of: keyField, in: message)
        }
        return entries.sorted { lhs, rhs in
            switch (key(lhs), key(rhs)) {
            case (.int32(let a)?, .int32(let b)?): a < b
            case (.int64(let a)?, .int64(let b)?): a < b
            case (.uint32(let a)?, .uint32(let b)?): a < b
            case (.uint64(let a)?, .uint64(let b)?): a < b
            case (.bool(let a)?, .bool(let b)?): !a && b
            case (.string(let a)?, .string(let b)?): a.utf8.lexicographicallyPrecedes(b.utf8)
            default: false
            }
        }
    }

    // MARK: Unknown fields

    private static func printUnknownFields(
        _ reader: inout WireReader, indent: String, budget: Int, into output: inout String
    ) {
        do {
            while let tag = try reader.readTag() {
                output += indent + "\(tag.fieldNumber)"
                switch tag.wireType {
                case .varint:
                    output += ": \(try reader.readVarint())\n"
                case .fixed32:
                    output += ": 0x" + String(format: "%08x", try reader.readFixed32()) + "\n"
                case .fixed64:
                    output += ": 0x" + String(format: "%016llx", try reader.readFixed64()) + "\n"
                case .lengthDelimited:
                    let payload = Array(try reader.readBytes())
                    if !payload.isEmpty && budget > 0 && parsesAsMessage(payload) {
                        output += " {\n"
                        WireReader.withUnknownFields(payload) { nested in
                            printUnknownFields(&nested, indent: indent + "  ", budget: budget - 1, into: &output)
                        }
                        output += indent + "}\n"
                    } else {
                        output += ": \"" + cEscape(payload) + "\"\n"
                    }
                case .startGroup:
                    var group = try reader.enterGroup(tag)
                    output += " {\n"
                    printUnknownFields(&group, indent: indent + "  ", budget: budget - 1, into: &output)
                    output += indent + "}\n"
                case .endGroup:
                    Issue.record("end-group tag in unknown fields")
                    return
                }
            }
        } catch {
            Issue.record("unknown fields do not parse: \(error)")
        }
    }

    /// Whether `bytes` parse as a message of unknown fields (`UnknownFieldSet::ParseFromString`).
    private static func parsesAsMessage(_ bytes: [UInt8]) -> Bool {
        do {
            try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
                while let tag = try reader.readTag() { try reader.skipField(tag) }
            }
            return true
        } catch {
            return false
        }
    }

    // MARK: Scalars

    /// `CEscape`: C escapes for `\n \r \t " ' \`, three-digit octal for every other byte outside
    /// printable ASCII.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var result = ""
        for byte in bytes {
            switch byte {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x22: result += "\\\""
            case 0x27: result += "\\'"
            case 0x5C: result += "\\\\"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return result
    }

    /// `SimpleFtoa`: `%.6g`, or `%.9g` if that does not read back as `value` through
    /// `safe_strtof`, which also fails when `strtof` sets `ERANGE`, as glibc does for any
    /// subnormal result.
    static func simpleFtoa(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.6g", Double(value))
        guard let parsed = Float(short), parsed == value, !parsed.isSubnormal else {
            return String(format: "%.9g", Double(value))
        }
        return short
    }

    /// `SimpleDtoa`: `%.15g`, or `%.17g` if that does not read back as `value`.
    static func simpleDtoa(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.15g", value)
        return Double(short) == value ? short : String(format: "%.17g", value)
    }
}

extension WireReader {
    /// Runs `body` with a reader over already-validated unknown-field bytes.
    fileprivate static func withUnknownFields(_ bytes: [UInt8], _ body: (inout WireReader) -> Void) {
        bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            body(&reader)
        }
    }
}
