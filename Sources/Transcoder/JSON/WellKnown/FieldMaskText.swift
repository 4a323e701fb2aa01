/// The ProtoJSON text of `google.protobuf.FieldMask` (`google/protobuf/field_mask.proto`, "JSON
/// Encoding of Field Masks"): the paths joined by commas, each converted to lowerCamelCase
/// (`user.display_name,photo` ↔ `user.displayName,photo`).
///
/// Paths are field names joined by dots, so only ASCII letters, digits, `.` (and `_` in the
/// snake_case form) are accepted; anything else could not survive the comma-joined text.
enum FieldMaskText {
    /// Splits JSON text into snake_case paths. A path with `_` is not camelCase and is rejected.
    static func paths(fromJSON text: UnsafeRawBufferPointer) -> [[UInt8]]? {
        guard text.count > 0 else { return [] }
        var paths: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in text {
            switch byte {
            case UInt8(ascii: ","):
                paths.append(current)
                current = []
            case UInt8(ascii: "_"):
                return nil
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(UInt8(ascii: "_"))
                current.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
                current.append(byte)
            default:
                return nil
            }
        }
        paths.append(current)
        return paths
    }

    /// Appends `path` in lowerCamelCase; false when the snake_case path does not round-trip (an
    /// upper-case letter, or `_` not followed by a lower-case letter).
    static func appendCamelCase<S: JSONSink>(_ path: UnsafeRawBufferPointer, into output: inout S) -> Bool {
        var upperNext = false
        for byte in path {
            if byte == UInt8(ascii: "_") {
                if upperNext { return false }
                upperNext = true
                continue
            }
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLower || isDigit || byte == UInt8(ascii: ".") else { return false }
            if upperNext {
                guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") else { return false }
                output.append(byte & ~0x20)
                upperNext = false
            } else {
                output.append(byte)
            }
        }
        return !upperNext
    }
}
