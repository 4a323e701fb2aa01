import Foundation
import Testing

@testable import Transcoder

@Suite("Transcoder module")
struct TranscoderModuleTests {
    /// `google/api/annotations.proto` declares `http` as field 72295728 of MethodOptions; our
    /// shipped copy must agree with the constant the router reads.
    @Test func httpExtensionNumberMatchesTheShippedSchema() throws {
        let source = try String(
            contentsOfFile: #filePath.replacingOccurrences(
                of: "Tests/TranscoderTests/TranscoderModuleTests.swift", with: "protos/google/api/annotations.proto"),
            encoding: .utf8)
        #expect(source.contains("= \(Transcoder.httpRuleExtensionFieldNumber);"))
    }
}
