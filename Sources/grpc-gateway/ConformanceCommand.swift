import ArgumentParser
import Foundation
import ProtoWire
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway conformance`: a testee for the protobuf conformance suite. Reads framed
    /// `ConformanceRequest`s (4-byte little-endian length + message) from stdin until EOF and
    /// answers each with a framed `ConformanceResponse` on stdout.
    struct Conformance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the protobuf conformance test protocol on stdin/stdout.")

        @OptionGroup var schema: SchemaOptions

        func run() throws {
            let testee = ConformanceTestee(codec: ProtoJSONCodec(pool: try schema.loadPool()))
            let input = FileHandle.standardInput
            let output = FileHandle.standardOutput
            while true {
                let header = input.readData(ofLength: 4)
                if header.isEmpty { return }
                guard header.count == 4 else { throw ValidationError("truncated frame length") }
                let length = header.reversed().reduce(0) { $0 << 8 | Int($1) }
                guard length <= 64 << 20 else { throw ValidationError("frame of \(length) bytes is too large") }
                let request = length == 0 ? Data() : input.readData(ofLength: length)
                guard request.count == length else { throw ValidationError("truncated frame") }
                let response = testee.respond(to: [UInt8](request))
                var frame = Data()
                withUnsafeBytes(of: UInt32(response.count).littleEndian) { frame.append(contentsOf: $0) }
                frame.append(contentsOf: response)
                output.write(frame)
            }
        }
    }
}
