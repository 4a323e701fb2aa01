import HTTP2Transport
import ProtoWire

extension DemoBookstore {
    /// Runs one method on a decoded request; returns the reply messages (one, or a stream).
    func call(_ method: String, _ request: DynamicMessage) throws(GRPCStatus) -> [DynamicMessage] {
        switch method {
        case "ListShelves":
            var reply = message("ListShelvesResponse")
            for (_, shelf) in state.withLock({ $0.shelves }).sorted(by: { $0.key < $1.key }) {
                reply.append(.message(shelf), toField: "shelves")
            }
            return [reply]
        case "CreateShelf":
            let theme = request.value(forField: 1)?.messageValue?.value(forField: 2).flatMap(Self.string) ?? ""
            let shelf = try state.withLock { (state: inout State) throws(GRPCStatus) -> DynamicMessage in
                guard state.shelves.count < Self.maximumItems else { throw Self.full }
                state.nextID += 1
                let shelf = makeShelf(id: state.nextID, theme: theme)
                state.shelves[state.nextID] = shelf
                return shelf
            }
            return [shelf]
        case "GetShelf", "GetShelfTheme":
            let id = Self.int64(request.value(forField: 1))
            guard let shelf = state.withLock({ $0.shelves[id] }) else { throw GRPCStatus(.notFound, "shelf \(id) not found") }
            return [shelf]
        case "DeleteShelf":
            let id = Self.int64(request.value(forField: 1))
            _ = state.withLock { $0.shelves.removeValue(forKey: id) }
            return [message("google.protobuf.Empty", qualified: true)]
        case "ListBooks", "StreamBooks":
            let shelf = Self.int64(request.value(forField: 1))
            let books = state.withLock { $0.books }.filter { $0.key.shelf == shelf }.sorted { $0.key.book < $1.key.book }
            if method == "StreamBooks" { return books.map(\.value) }
            var reply = message("ListBooksResponse")
            for (_, book) in books { reply.append(.message(book), toField: "books") }
            reply.set(.int32(Int32(books.count)), forField: "total_size")
            return [reply]
        case "CreateBook":
            let shelf = Self.int64(request.value(forField: 1))
            var book = request.value(forField: 2)?.messageValue ?? message("Book")
            guard state.withLock({ $0.shelves[shelf] }) != nil else { throw GRPCStatus(.notFound, "shelf \(shelf) not found") }
            book = try state.withLock { (state: inout State) throws(GRPCStatus) -> DynamicMessage in
                guard state.books.count < Self.maximumItems else { throw Self.full }
                state.nextID += 1
                book.set(.int64(state.nextID), forField: "id")
                book.set(.string("shelves/\(shelf)/books/\(state.nextID)"), forField: "name")
                state.books[BookKey(shelf: shelf, book: state.nextID)] = book
                return book
            }
            return [book]
        case "GetBook":
            let key = BookKey(shelf: Self.int64(request.value(forField: 1)), book: Self.int64(request.value(forField: 2)))
            // `/v1/books/{book}` names no shelf: look the book up on every shelf.
            let found = state.withLock { state in
                key.shelf == 0 ? state.books.first { $0.key.book == key.book }?.value : state.books[key]
            }
            guard let book = found else {
                throw GRPCStatus(.notFound, "book \(key.book) not found on shelf \(key.shelf)")
            }
            return [book]
        case "UpdateBook":
            // Replaces the stored book (an echo of ~the request; the store does not grow).
            guard var book = request.value(forField: 1)?.messageValue,
                let key = Self.bookKey(book.value(forField: 1).flatMap(Self.string) ?? "")
            else { throw GRPCStatus(.invalidArgument, "book.name must be shelves/{shelf}/books/{book}") }
            book.set(.int64(key.book), forField: "id")
            try state.withLock { (state: inout State) throws(GRPCStatus) in
                guard state.books[key] != nil else { throw GRPCStatus(.notFound, "book \(key.book) not found") }
                state.books[key] = book
            }
            return [book]
        case "DeleteBook":
            guard let key = Self.bookKey(request.value(forField: 1).flatMap(Self.string) ?? "") else {
                throw GRPCStatus(.invalidArgument, "name must be shelves/{shelf}/books/{book}")
            }
            _ = state.withLock { $0.books.removeValue(forKey: key) }
            return [message("google.protobuf.Empty", qualified: true)]
        default:
            throw GRPCStatus(.unimplemented, "the demo bookstore does not implement \(method)")
        }
    }

    /// The demo keeps at most this many shelves and books each, so its memory stays bounded.
    static let maximumItems = 10_000
    static let full = GRPCStatus(.resourceExhausted, "the demo bookstore is full (\(maximumItems) items)")

    /// `UploadBooks`: each request is a `CreateBook`; answers the count and the new names.
    func upload(_ requests: [DynamicMessage]) throws(GRPCStatus) -> DynamicMessage {
        var reply = message("UploadBooksResponse")
        for request in requests {
            for book in try call("CreateBook", request) {
                if let name = book.value(forField: 1).flatMap(Self.string) { reply.append(.string(name), toField: "names") }
            }
        }
        reply.set(.int32(Int32(requests.count)), forField: "created_count")
        return reply
    }

    func message(_ name: String, qualified: Bool = false) -> DynamicMessage {
        let full = qualified ? name : "example.bookstore.v1." + name
        return DynamicMessage(messageIndex: pool.messageIndex(named: full)!, pool: pool)
    }

    func makeShelf(id: Int64, theme: String) -> DynamicMessage {
        var shelf = message("Shelf")
        shelf.set(.int64(id), forField: "id")
        shelf.set(.string(theme), forField: "theme")
        return shelf
    }

    func makeBook(shelf: Int64, id: Int64, author: String, title: String) -> DynamicMessage {
        var book = message("Book")
        book.set(.string("shelves/\(shelf)/books/\(id)"), forField: "name")
        book.set(.int64(id), forField: "id")
        book.set(.string(author), forField: "author")
        book.set(.string(title), forField: "title")
        book.set(.enum(1), forField: "genre")
        return book
    }

    /// `shelves/1/books/2` → (1, 2).
    static func bookKey(_ name: String) -> BookKey? {
        let parts = name.split(separator: "/")
        guard parts.count == 4, parts[0] == "shelves", parts[2] == "books", let shelf = Int64(parts[1]),
            let book = Int64(parts[3])
        else { return nil }
        return BookKey(shelf: shelf, book: book)
    }

    static func int64(_ value: DynamicValue?) -> Int64 {
        if case .int64(let number) = value { return number }
        return 0
    }

    static func string(_ value: DynamicValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }
}
