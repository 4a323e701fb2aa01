/// Re-indents compact JSON (as the printer makes it) for ``JSONOptions/indent``: one member or
/// element per line, `": "` after keys, empty objects and arrays kept as `{}` and `[]`.
enum JSONIndenter {
    static func indent(_ compact: [UInt8], by width: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(compact.count * 2)
        var level = 0
        var inString = false
        var index = 0
        func newline(_ output: inout [UInt8], _ level: Int) {
            output.append(0x0A)
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * width))
        }
        while index < compact.count {
            let byte = compact[index]
            if inString {
                output.append(byte)
                if byte == UInt8(ascii: "\\") {
                    output.append(compact[index + 1])
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                output.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                output.append(byte)
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if index + 1 < compact.count && compact[index + 1] == close {
                    output.append(close)
                    index += 1
                } else {
                    level += 1
                    newline(&output, level)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                level -= 1
                newline(&output, level)
                output.append(byte)
            case UInt8(ascii: ","):
                output.append(byte)
                newline(&output, level)
            case UInt8(ascii: ":"):
                output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
