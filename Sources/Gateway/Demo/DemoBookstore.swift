import HTTP2Transport
import ProtoWire
import Synchronization

/// The example bookstore (`protos/examples/bookstore/v1/bookstore.proto`) as an in-process gRPC
/// backend on ``HTTP2Server``, for `grpc-gateway demo`. Messages are ``DynamicMessage``s of the
/// schema's pool, so nothing is generated. Unary methods, `StreamBooks` and `UploadBooks` (client
/// streaming; its messages are read whole before answering) are served; the rest answer
/// UNIMPLEMENTED. Shelf 1 ("Fiction") starts with two books, shelf 2 ("Poetry") empty.
public final class DemoBookstore: Sendable {
    struct BookKey: Hashable {
        var shelf: Int64
        var book: Int64
    }
    struct State {
        var shelves: [Int64: DynamicMessage] = [:]
        var books: [BookKey: DynamicMessage] = [:]
        var nextID: Int64 = 100
    }

    let pool: DescriptorPool
    let state = Mutex(State())

    /// Fails when the pool lacks the bookstore schema.
    public init(pool: DescriptorPool) throws(GatewayError) {
        guard pool.service(named: "example.bookstore.v1.Bookstore") != nil else {
            throw .invalidArgument("the schema has no example.bookstore.v1.Bookstore service")
        }
        self.pool = pool
        let shelf1 = makeShelf(id: 1, theme: "Fiction")
        let shelf2 = makeShelf(id: 2, theme: "Poetry")
        let book1 = makeBook(shelf: 1, id: 1, author: "Ursula K. Le Guin", title: "The Dispossessed")
        let book2 = makeBook(shelf: 1, id: 2, author: "Iain M. Banks", title: "Excession")
        state.withLock {
            $0.shelves = [1: shelf1, 2: shelf2]
            $0.books = [BookKey(shelf: 1, book: 1): book1, BookKey(shelf: 1, book: 2): book2]
        }
    }

    /// The ``HTTP2Server`` handler: gRPC over HTTP/2 (gRPC `doc/PROTOCOL-HTTP2.md`).
    public var handler: HTTP2Server.Handler {
        { [self] request, response in
            let method = String(request.path.split(separator: "/").last ?? "")
            var messages: [[UInt8]] = []
            do {
                var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20, encoding: nil)
                for try await chunk in request.body {
                    deframer.append(chunk)
                    while let message = try deframer.next() { messages.append(message) }
                }
                try deframer.finish()
            } catch {
                await Self.finish(response, status: GRPCStatus(.internal, "bad request stream: \(error)"), replies: [])
                return
            }
            do {
                if method == "UploadBooks",
                    let descriptor = pool.service(named: "example.bookstore.v1.Bookstore")?.method(named: method)
                {
                    let requests = try messages.map {
                        try DynamicMessage(decoding: $0, messageIndex: descriptor.inputIndex, pool: pool)
                    }
                    await Self.finish(response, status: .ok, replies: [try upload(requests).encoded()])
                    return
                }
                guard messages.count == 1, let descriptor = pool.service(named: "example.bookstore.v1.Bookstore")?.method(named: method) else {
                    throw GRPCStatus(.unimplemented, "no method \(request.path)")
                }
                let input = try DynamicMessage(decoding: messages[0], messageIndex: descriptor.inputIndex, pool: pool)
                let replies = try call(method, input).map { $0.encoded() }
                await Self.finish(response, status: .ok, replies: replies)
            } catch let status as GRPCStatus {
                await Self.finish(response, status: status, replies: [])
            } catch {
                await Self.finish(response, status: GRPCStatus(.invalidArgument, "\(error)"), replies: [])
            }
        }
    }

    static func finish(_ response: HTTP2ResponseWriter, status: GRPCStatus, replies: [[UInt8]]) async {
        var body: [UInt8] = []
        let framer = GRPCMessageFramer()
        for reply in replies { try? framer.frame(reply, into: &body) }
        var headers: HTTP2Headers = [(":status", "200"), ("content-type", "application/grpc")]
        if body.isEmpty && !status.isOK {
            headers.add(contentsOf: status.trailerFields)
            try? await response.writeHeaders(headers, endStream: true)
            return
        }
        try? await response.writeResponse(headers: headers, body: body, trailers: status.trailerFields)
    }
}
