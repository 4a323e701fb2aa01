import HTTP2Transport
import ProtoWire
import Testing

@testable import Gateway

@Suite("DemoBookstore")
struct DemoBookstoreTests {
    static let pool = GatewayTestSupport.pool

    func request(_ type: String) -> DynamicMessage {
        DynamicMessage(messageIndex: Self.pool.messageIndex(named: "example.bookstore.v1." + type)!, pool: Self.pool)
    }

    @Test func getBookAcrossShelvesAndNotFound() throws {
        let store = try DemoBookstore(pool: Self.pool)
        var get = request("GetBookRequest")
        get.set(.int64(2), forField: "book")
        let found = try store.call("GetBook", get)
        #expect(found.first?.value(forField: 4) == .string("Excession"))
        get.set(.int64(7), forField: "book")
        #expect(throws: GRPCStatus(.notFound, "book 7 not found on shelf 0")) { try store.call("GetBook", get) }
        #expect(throws: GRPCStatus.self) { try store.call("ReindexShelves", get) }
    }

    @Test func updateBookReplacesWithoutGrowing() throws {
        let store = try DemoBookstore(pool: Self.pool)
        var book = request("Book")
        book.set(.string("shelves/1/books/2"), forField: "name")
        book.set(.string("New"), forField: "title")
        var update = request("UpdateBookRequest")
        update.set(.message(book), forField: "book")
        let reply = try store.call("UpdateBook", update)
        #expect(reply.first?.value(forField: 4) == .string("New"))
        #expect(reply.first?.value(forField: 2) == .int64(2))
        book.set(.string("shelves/1/books/9"), forField: "name")
        update.set(.message(book), forField: "book")
        #expect(throws: GRPCStatus(.notFound, "book 9 not found")) { try store.call("UpdateBook", update) }
        #expect(store.state.withLock { $0.books.count } == 2)
    }

    @Test func stateIsBounded() throws {
        let store = try DemoBookstore(pool: Self.pool)
        var create = request("CreateShelfRequest")
        var shelf = request("Shelf")
        shelf.set(.string("t"), forField: "theme")
        create.set(.message(shelf), forField: "shelf")
        var created = 0
        while created < DemoBookstore.maximumItems {
            do { _ = try store.call("CreateShelf", create) } catch {
                #expect(error.code == .resourceExhausted)
                break
            }
            created += 1
        }
        #expect(created == DemoBookstore.maximumItems - 2)  // two shelves exist at start
    }
}
