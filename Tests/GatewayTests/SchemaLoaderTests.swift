import Foundation
import Testing

@testable import Gateway

@Suite("SchemaLoader")
struct SchemaLoaderTests {
    static let descriptors = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protos/descriptors")

    @Test func loadsAndMergesSets() throws {
        let pool = try SchemaLoader.loadDescriptorSets(paths: [
            Self.descriptors.appendingPathComponent("bookstore.pb").path,
            Self.descriptors.appendingPathComponent("google_api.pb").path,
        ])
        #expect(pool.service(named: "example.bookstore.v1.Bookstore") != nil)
        let summary = SchemaSummary.render(pool)
        #expect(summary.contains("service example.bookstore.v1.Bookstore"))
        #expect(
            summary.contains(
                "/example.bookstore.v1.Bookstore/StreamBooks  (example.bookstore.v1.StreamBooksRequest) -> "
                    + "(stream example.bookstore.v1.Book)  [google.api.http]"))
        let unannotated = summary.split(separator: "\n").first { $0.contains("/ReindexShelves ") }
        #expect(unannotated?.contains("[google.api.http]") == false)
    }

    @Test func missingFileNamesThePath() {
        let error = #expect(throws: SchemaLoader.LoadingError.self) {
            _ = try SchemaLoader.loadDescriptorSets(paths: ["/nonexistent/x.pb"])
        }
        #expect(error?.description == "/nonexistent/x.pb: cannot read the file")
    }

    @Test func notADescriptorSetNamesThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID()).pb").path
        try Data([0x0F, 0x01]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SchemaLoader.LoadingError.self) {
            _ = try SchemaLoader.loadDescriptorSets(paths: [path])
        }
        #expect(error?.description == "\(path): not a FileDescriptorSet: invalid wire type at byte 0")
    }
}
