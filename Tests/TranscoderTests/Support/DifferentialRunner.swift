import Foundation
import ProtoWire

@testable import Transcoder

/// Our side of the differential test against Python `protobuf` (`scripts/json-differential.py`):
/// for each case line (binary, then Python's JSON under four option sets), translate each of
/// Python's JSONs to protobuf and the binary to JSON under each option set.
enum DifferentialRunner {
    static let optionSets: [JSONOptions] = [
        JSONOptions(),
        JSONOptions(emitDefaults: true),
        JSONOptions(useProtoNames: true),
        JSONOptions(enumsAsInts: true),
    ]

    static func run(cases: String, codec: ProtoJSONCodec, messageIndex: Int) -> String {
        var lines: [String] = []
        for line in cases.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            let binary = JSONTestSupport.bytes(hex: String(columns[0]))
            var binaries: [String] = []
            for (index, options) in optionSets.enumerated() {
                let json = JSONTestSupport.bytes(hex: String(columns[index + 1]))
                do {
                    let wire = try codec.protobuf(fromJSON: json, messageIndex: messageIndex, options: options)
                    binaries.append(compactHex(wire))
                } catch {
                    binaries.append("ERROR:" + compactHex(Array(error.description.utf8)))
                }
            }
            var jsons: [String] = []
            for options in optionSets {
                do {
                    jsons.append(compactHex(try codec.json(fromProtobuf: binary, messageIndex: messageIndex, options: options)))
                } catch {
                    jsons.append("ERROR:" + compactHex(Array(error.description.utf8)))
                }
            }
            lines.append(([binaries.joined(separator: ",")] + jsons).joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func compactHex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
