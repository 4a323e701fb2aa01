import ProtoWire

/// Random protobuf encodings of any message of a pool, for comparing the printer's single pass
/// with its indexed path. A message is a list of chunks, one per field occurrence (tag and
/// value); `ordered` chunks follow field-number order with each repeated field's values
/// together (what protoc-family encoders write), and shuffling them makes every fallback of
/// the single pass happen. Values are small and mostly valid, with now and then a default, a
/// closed enum's unknown number, a repeated key or an invalid string.
struct RandomWire {
    let pool: DescriptorPool
    var random: SplitMix64

    init(pool: DescriptorPool, seed: UInt64) {
        self.pool = pool
        random = SplitMix64(seed: seed)
    }

    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }

    /// The chunks of a random message of type `messageIndex`, in field-number order.
    mutating func chunks(of messageIndex: Int, depth: Int) -> [[UInt8]] {
        let message = pool.messages[messageIndex]
        var chunks: [[UInt8]] = []
        var oneofsSet = Set<Int>()
        for fieldIndex in message.fieldIndicesByNumber {
            let field = message.fields[fieldIndex]
            guard chance(message.isMapEntry ? 95 : (depth == 0 ? 20 : 25)) else { continue }
            if field.type == .group { continue }
            // Mostly one member per oneof, as encoders write them; now and then a second.
            if let oneof = field.oneofIndex {
                if oneofsSet.contains(oneof) && !chance(5) { continue }
                oneofsSet.insert(oneof)
            }
            if message.isMapEntry && field.number == 1 {
                // Keys from a large space, so that they seldom repeat.
                var writer = WireWriter()
                writer.writeTag(fieldNumber: 1, wireType: field.type.wireType)
                switch field.type.wireType {
                case .varint: writer.writeVarint(field.type == .bool ? random.next() % 2 : random.next() % 100_000)
                case .fixed32: writer.writeFixed32(UInt32(truncatingIfNeeded: random.next()))
                case .fixed64: writer.writeFixed64(random.next())
                default: writer.writeLengthDelimited(Array("key\(random.next() % 100_000)".utf8))
                }
                chunks.append(writer.bytes)
                continue
            }
            // Well-known types whose random contents would mostly be errors, now and then.
            switch field.messageIndex.flatMap({ pool.messages[$0].wellKnownType }) {
            case .any, .timestamp, .duration, .fieldMask: if !chance(10) { continue }
            default: break
            }
            if field.isRepeated && field.type.isPackable && chance(60) {
                var packed = WireWriter()
                for _ in 0..<(1 + random.next() % 4) { writeScalar(field, into: &packed) }
                var chunk = WireWriter()
                chunk.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
                chunk.writeLengthDelimited(packed.bytes)
                chunks.append(chunk.bytes)
                continue
            }
            let count = field.isRepeated ? 1 + random.next() % 3 : (chance(1) ? 2 : 1)
            for _ in 0..<count { chunks.append(chunk(field, depth: depth)) }
        }
        return chunks
    }

    /// One occurrence of `field`: its tag and value.
    mutating func chunk(_ field: FieldDescriptor, depth: Int) -> [UInt8] {
        var writer = WireWriter()
        writer.writeTag(fieldNumber: UInt32(field.number), wireType: field.type.wireType)
        if let messageIndex = field.messageIndex {
            let body = depth < 3 ? self.chunks(of: messageIndex, depth: depth + 1).flatMap { $0 } : []
            writer.writeLengthDelimited(body)
        } else {
            writeScalar(field, into: &writer)
        }
        return writer.bytes
    }

    /// A value of a scalar or enum field (no tag).
    mutating func writeScalar(_ field: FieldDescriptor, into writer: inout WireWriter) {
        let small = chance(70)
        let bits = small ? random.next() % 4 : random.next() >> (random.next() % 64)
        switch field.type.wireType {
        case .varint:
            writer.writeVarint(field.type == .enum && chance(80) ? bits % 3 : (chance(10) ? UInt64.max - bits : bits))
        case .fixed32: writer.writeFixed32(UInt32(truncatingIfNeeded: bits))
        case .fixed64:
            writer.writeFixed64(field.type == .double ? (Double(bits) / 8).bitPattern : bits)
        default:
            writer.writeLengthDelimited(text(field.type == .bytes))
        }
    }

    /// Short text: letters, escapes, multi-byte characters; rarely an invalid UTF-8 byte.
    mutating func text(_ anyBytes: Bool) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("k".utf8), Array("_b".utf8), Array("\"".utf8), Array("\\".utf8), [0x0A], [0x01],
            Array("é".utf8), Array("😀".utf8), Array(" quick brown fox ".utf8), Array("x.y".utf8),
        ]
        var result: [UInt8] = []
        for _ in 0..<(random.next() % 4) { result += pick(pieces) }
        if (chance(1) && chance(50)) || (anyBytes && chance(30)) { result.append(0xFF) }
        return result
    }
}
