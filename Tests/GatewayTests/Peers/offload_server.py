#!/usr/bin/env python3
"""The bookstore of bookstore_server.py on Python grpcio with server-side gzip compression, behind
a small HTTP/2 frame-watching TCP relay: the independent backend of the gateway's compression
tests (Tests/GatewayTests/Offload).

Usage: offload_server.py DESCRIPTOR_SET [deflate]. Prints "PORT <n>" (the relay, where the
gateway connects) once listening on 127.0.0.1. Exits when stdin closes or on SIGTERM.

  - Reply messages are gzip-compressed by grpcio (grpc.Compression.Gzip; Deflate with the
    `deflate` argument) when the client accepts the coding (grpc-core leaves small messages
    plain, where compressing does not pay); the relay prints "COMPRESSED-REPLY" for each
    compressed message it sees from the server and "COMPRESSED-REQUEST" / "PLAIN-REQUEST" for each request message, so
    tests see what went over the wire (grpcio does not show handlers the grpc-encoding), and
    "REQUEST-CODING <c>" / "REPLY-CODING <c>" with the coding the compressed bytes are in.
  - Shelf 3 holds 80 books (ListBooks answers about 10 KB of JSON).
  - StreamBooks of shelf 5 sends one book, waits 1.5 s, then sends a second one.
  - GetBookCover of shelves/3/books/1 is application/gzip HttpBody (8 KB SVG, gzipped), of
    shelves/3/books/2 the same SVG as image/svg+xml, of shelves/3/books/3 the gzipped SVG as
    text/plain with `content-encoding: gzip` metadata. GetShelf 3 sends `content-encoding: br`
    metadata with its (plain) reply.
"""
import gzip
import os
import signal
import socket
import struct
import sys
import threading
import time
from concurrent import futures

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bookstore_server  # noqa: E402

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# An 8 KB SVG, the HttpBody of GetBookCover on shelf 3.
COVER = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"".join(
    b"<rect x='%d' y='%d' width='10' height='10'/>" % (i % 97, i * 7 % 89) for i in range(200)) + b"</svg>"
print_lock = threading.Lock()


def report(line):
    with print_lock:
        print(line, flush=True)


class FrameWatcher:
    """Parses the HTTP/2 frames of one direction and reports the gRPC compressed flag of each
    message that starts a DATA frame (the gateway sends each small message in one frame)."""

    def __init__(self, client_side):
        self.buffer = b""
        self.need_preface = client_side
        self.client_side = client_side

    def feed(self, data):
        self.buffer += data
        if self.need_preface:
            if len(self.buffer) < len(PREFACE):
                return
            self.buffer = self.buffer[len(PREFACE):]
            self.need_preface = False
        while len(self.buffer) >= 9:
            length = int.from_bytes(self.buffer[0:3], "big")
            kind, flags = self.buffer[3], self.buffer[4]
            if len(self.buffer) < 9 + length:
                return
            payload = self.buffer[9:9 + length]
            self.buffer = self.buffer[9 + length:]
            if kind != 0 or not payload:
                continue
            if flags & 0x8:  # PADDED
                payload = payload[1:len(payload) - payload[0]]
            if len(payload) >= 5:
                compressed = payload[0] == 1
                if self.client_side:
                    report("COMPRESSED-REQUEST" if compressed else "PLAIN-REQUEST")
                elif compressed:
                    report("COMPRESSED-REPLY")
                if compressed and len(payload) >= 7:
                    # gzip starts 1f 8b (RFC 1952), a zlib stream with CM=8 (RFC 1950).
                    coding = "gzip" if payload[5:7] == b"\x1f\x8b" else "deflate" if payload[5] & 0x0F == 8 else "?"
                    report(("REQUEST" if self.client_side else "REPLY") + "-CODING " + coding)


def pump(source, sink, watcher):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            watcher.feed(data)
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def relay(listener, backend_port):
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", backend_port))
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(client, upstream, FrameWatcher(True)), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, FrameWatcher(False)), daemon=True).start()


class OffloadBookstore(bookstore_server.Bookstore):
    def __init__(self, pool):
        super().__init__(pool)
        Book = self.M("Book")
        self.shelves[3] = self.M("Shelf")(id=3, theme="Large")
        self.shelves[5] = self.M("Shelf")(id=5, theme="Slow")
        for i in range(1, 81):
            self.books[(3, i)] = Book(name=f"shelves/3/books/{i}", id=i, author=f"Author number {i}",
                                      title=f"The collected works, volume {i}", genre=1 + i % 4, page_count=100 + i)
        self.books[(5, 1)] = Book(name="shelves/5/books/1", id=1, title="First")
        self.books[(5, 2)] = Book(name="shelves/5/books/2", id=2, title="Second")

    def GetBookCover(self, req, ctx):
        """Covers of shelf 3 are large HttpBody answers: book 1 an already-gzipped archive
        (application/gzip, the gateway must leave it alone), book 2 an SVG the gateway may
        compress (image/svg+xml). Others as bookstore_server.py answers."""
        HttpBody = bookstore_server.message_factory.GetMessageClass(
            self.pool.FindMessageTypeByName("google.api.HttpBody"))
        if req.name == "shelves/3/books/1":
            self.meta(ctx)
            return HttpBody(content_type="application/gzip", data=gzip.compress(COVER, mtime=0))
        if req.name == "shelves/3/books/2":
            self.meta(ctx)
            return HttpBody(content_type="image/svg+xml", data=COVER)
        if req.name == "shelves/3/books/3":
            # Already encoded by the backend, which says so in its metadata.
            ctx.send_initial_metadata([("content-encoding", "gzip")])
            return HttpBody(content_type="text/plain", data=gzip.compress(COVER, mtime=0))
        return super().GetBookCover(req, ctx)

    def GetShelf(self, req, ctx):
        if req.shelf == 3:
            # Metadata that must not relabel the gateway's own JSON.
            ctx.send_initial_metadata([("content-encoding", "br")])
            return self.shelves[3]
        return super().GetShelf(req, ctx)

    def StreamBooks(self, req, ctx):
        if req.shelf != 5:
            yield from super().StreamBooks(req, ctx)
            return
        self.meta(ctx)
        yield self.books[(5, 1)]
        end = time.time() + 1.5
        while time.time() < end and ctx.is_active():
            time.sleep(0.01)
        yield self.books[(5, 2)]


def main():
    pool = bookstore_server.load(sys.argv[1])
    service = pool.FindServiceByName(bookstore_server.PKG + "Bookstore")
    impl = OffloadBookstore(pool)
    handlers = {}
    for method in service.methods:
        req = bookstore_server.message_factory.GetMessageClass(method.input_type)
        fn = getattr(impl, method.name, None)
        if fn is None:
            continue  # a method bookstore_server.py does not implement (yet)
        make = {
            (False, False): grpc.unary_unary_rpc_method_handler, (False, True): grpc.unary_stream_rpc_method_handler,
            (True, False): grpc.stream_unary_rpc_method_handler, (True, True): grpc.stream_stream_rpc_method_handler,
        }[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = make(fn, request_deserializer=req.FromString,
                                     response_serializer=lambda m: m.SerializeToString())
    compression = grpc.Compression.Deflate if sys.argv[2:3] == ["deflate"] else grpc.Compression.Gzip
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), compression=compression)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(bookstore_server.PKG + "Bookstore", handlers),))
    backend_port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    threading.Thread(target=relay, args=(listener, backend_port), daemon=True).start()
    report(f"PORT {listener.getsockname()[1]}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.stop(grace=1).wait()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
