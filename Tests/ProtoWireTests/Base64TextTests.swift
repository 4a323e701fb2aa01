import Foundation
import ProtoWire
import Testing

/// ``Base64Text`` (RFC 4648) against Foundation's encoder and decoder, plus the forms only we
/// accept (unpadded, URL-safe) and the inputs both must refuse.
@Suite("Base64Text")
struct Base64TextTests {
    static func encoded(_ bytes: [UInt8]) -> String {
        let length = Base64Text.encodedLength(bytes.count)
        var out = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                Base64Text.encode(
                    source.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: source.count,
                    to: destination.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decoded(_ text: String) -> [UInt8]? {
        Array(text.utf8).withUnsafeBytes { raw -> [UInt8]? in
            guard let length = Base64Text.decodedLength(raw) else { return nil }
            var out = [UInt8](repeating: 0, count: length)
            let written = out.withUnsafeMutableBufferPointer {
                length == 0 ? 0 : Base64Text.decode(raw, to: $0.baseAddress!)
            }
            return written == length ? out : nil
        }
    }

    @Test(arguments: 0..<40)
    func roundTripsLikeFoundation(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 7) }
        let text = Self.encoded(bytes)
        #expect(text == Data(bytes).base64EncodedString())
        #expect(Self.decoded(text) == bytes)
        #expect(Data(base64Encoded: text).map(Array.init) == bytes)
        let unpadded = String(text.prefix { $0 != "=" })
        #expect(Self.decoded(unpadded) == bytes)
        let urlSafe = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(Self.decoded(urlSafe) == bytes)
    }

    @Test(arguments: ["A", "AAAAA", "AB=C", "A===", "AB*C", "ABC=D", "AB=", "====", "AB C", "ABC==", "Zg=\u{00}"])
    func refuses(_ text: String) {
        #expect(Self.decoded(text) == nil)
    }
}
