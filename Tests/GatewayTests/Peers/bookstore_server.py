#!/usr/bin/env python3
"""The bookstore service (protos/examples/bookstore/v1/bookstore.proto) on Python grpcio, an
independent backend for the gateway's end-to-end tests. Messages are built with Python protobuf's
message_factory from protos/descriptors/bookstore.pb, so no generated code is needed.

Usage: bookstore_server.py DESCRIPTOR_SET [PORT]. Prints "PORT <n>" once listening on 127.0.0.1.
Exits when stdin closes (the test process died) or on SIGTERM.

Behaviour the tests rely on:
  - shelves 1 ("Fiction") and 2 ("Poetry"); shelf 1 holds books 1 and 2.
  - GetShelf / GetBook of a missing id: NOT_FOUND with grpc-status-details-bin holding a
    google.rpc.Status whose details are an example.bookstore.v1.Shelf{id} and an Any of a type
    the gateway does not know (type.googleapis.com/test.Opaque, value b"\\x01\\x02").
  - GetBook book 999: sleeps up to 3 s (for deadline tests), then answers.
  - ListBooks: next_page_token is the request in protobuf text format (one line), so tests see
    exactly what the gateway sent.
  - ClearShelf without force on a shelf with books: FAILED_PRECONDITION.
  - GetBook with metadata "x-fail-code: N" fails with code N and message "forced N".
  - UploadBooks (client streaming) creates each book on its request's shelf (NOT_FOUND for a
    missing shelf, when that message arrives) and answers created_count and the names; with
    metadata "x-upload-delay-ms: N" it takes N ms per message (a slow backend).
  - Every call answers initial metadata x-saw-keys (sorted metadata keys), x-saw-<key> for
    authorization, x-request-id, x-forwarded-for, x-forwarded-host, echoes x-token-bin, and sends
    trailing metadata x-trailer: done.
"""
import os
import signal
import sys
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format, any_pb2

PKG = "example.bookstore.v1."


def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return pool


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def rpc_status(code, message, anys):
    body = b"\x08" + varint(code)
    msg = message.encode()
    body += b"\x12" + varint(len(msg)) + msg
    for a in anys:
        raw = a.SerializeToString()
        body += b"\x1a" + varint(len(raw)) + raw
    return body


class Bookstore:
    def __init__(self, pool):
        self.pool = pool
        self.M = lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(PKG + name))
        self.Empty = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.protobuf.Empty"))
        self.lock = threading.Lock()
        Shelf, Book = self.M("Shelf"), self.M("Book")
        self.shelves = {1: Shelf(id=1, theme="Fiction"), 2: Shelf(id=2, theme="Poetry")}
        self.books = {
            (1, 1): Book(name="shelves/1/books/1", id=1, author="Ursula K. Le Guin", title="The Dispossessed",
                         genre=1, page_count=387),
            (1, 2): Book(name="shelves/1/books/2", id=2, author="Iain M. Banks", title="Excession", genre=1),
        }
        self.next_id = 100

    def meta(self, context):
        md = list(context.invocation_metadata())
        keys = sorted({k for k, _ in md})
        initial = [("x-saw-keys", ",".join(keys))]
        for k, v in md:
            if k in ("authorization", "x-request-id", "x-forwarded-for", "x-forwarded-host"):
                initial.append(("x-saw-" + k, v))
            if k == "x-token-bin":
                initial.append(("x-token-bin", v))
        context.send_initial_metadata(initial)
        context.set_trailing_metadata([("x-trailer", "done")])
        return dict(md)

    def not_found(self, context, what, ident):
        detail = any_pb2.Any()
        detail.Pack(self.M("Shelf")(id=ident))
        opaque = any_pb2.Any(type_url="type.googleapis.com/test.Opaque", value=b"\x01\x02")
        message = f"{what} {ident} not found"
        context.set_trailing_metadata(
            [("x-trailer", "done"), ("grpc-status-details-bin", rpc_status(5, message, [detail, opaque]))])
        context.abort(grpc.StatusCode.NOT_FOUND, message)

    def ListShelves(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            return self.M("ListShelvesResponse")(shelves=[self.shelves[k] for k in sorted(self.shelves)])

    def CreateShelf(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            self.next_id += 1
            shelf = self.M("Shelf")(id=self.next_id, theme=req.shelf.theme)
            self.shelves[shelf.id] = shelf
            return shelf

    def GetShelf(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            shelf = self.shelves.get(req.shelf)
        if shelf is None:
            self.not_found(ctx, "shelf", req.shelf)
        return shelf

    def ReplaceShelf(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            self.shelves[req.shelf.id] = req.shelf
        return req.shelf

    def DeleteShelf(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            self.shelves.pop(req.shelf, None)
        return self.Empty()

    def ClearShelf(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            has_books = any(s == req.shelf for s, _ in self.books)
            if has_books and not req.force:
                ctx.abort(grpc.StatusCode.FAILED_PRECONDITION, f"shelf {req.shelf} is not empty")
            for key in [k for k in self.books if k[0] == req.shelf]:
                del self.books[key]
        return self.Empty()

    def GetShelfTheme(self, req, ctx):
        return self.GetShelf(req, ctx)

    def ListBooks(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            books = [b for (s, _), b in sorted(self.books.items()) if s == req.shelf]
        if req.authors:
            books = [b for b in books if b.author in req.authors]
        token = text_format.MessageToString(req, as_one_line=True)
        return self.M("ListBooksResponse")(books=books, next_page_token=token, total_size=len(books))

    def CreateBook(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            self.next_id += 1
            book = self.M("Book")()
            book.CopyFrom(req.book)
            book.id = self.next_id
            book.name = f"shelves/{req.shelf}/books/{book.id}"
            self.books[(req.shelf, book.id)] = book
            return book

    def GetBook(self, req, ctx):
        md = self.meta(ctx)
        if "x-fail-code" in md:
            code = int(md["x-fail-code"])
            ctx.abort(next(c for c in grpc.StatusCode if c.value[0] == code), f"forced {code}")
        if req.book == 999:
            end = time.time() + 3
            while time.time() < end and ctx.is_active():
                time.sleep(0.01)
        with self.lock:
            book = self.books.get((req.shelf or 1, req.book))
        if book is None:
            self.not_found(ctx, "book", req.book)
        return book

    def UpdateBook(self, req, ctx):
        self.meta(ctx)
        parts = req.book.name.split("/")
        key = (int(parts[1]), int(parts[3]))
        with self.lock:
            book = self.books.get(key)
            if book is None:
                self.not_found(ctx, "book", key[1])
            for path in req.update_mask.paths:
                setattr(book, path, getattr(req.book, path))
            return book

    def DeleteBook(self, req, ctx):
        self.meta(ctx)
        parts = req.name.split("/")
        with self.lock:
            self.books.pop((int(parts[1]), int(parts[3])), None)
        return self.Empty()

    def MoveBook(self, req, ctx):
        self.meta(ctx)
        parts = req.name.split("/")
        with self.lock:
            book = self.books.pop((int(parts[1]), int(parts[3])), None)
            if book is None:
                self.not_found(ctx, "book", int(parts[3]))
            book.name = f"shelves/{req.destination_shelf}/books/{book.id}"
            self.books[(req.destination_shelf, book.id)] = book
            return book

    def CheckBook(self, req, ctx):
        self.GetBook(req, ctx)
        return self.Empty()

    def StreamBooks(self, req, ctx):
        self.meta(ctx)
        with self.lock:
            books = [b for (s, _), b in sorted(self.books.items()) if s == req.shelf]
        for b in books:
            yield b
        if req.genre == 3:
            ctx.abort(grpc.StatusCode.ABORTED, "stream interrupted")

    def UploadBooks(self, requests, ctx):
        md = self.meta(ctx)
        delay = int(md.get("x-upload-delay-ms", "0")) / 1000.0
        names = []
        for req in requests:
            if delay:
                time.sleep(delay)
            with self.lock:
                if req.shelf not in self.shelves:
                    self.not_found(ctx, "shelf", req.shelf)
                book = self.M("Book")()
                book.CopyFrom(req.book)
                book.id = self.next_id
                self.next_id += 1
                book.name = f"shelves/{req.shelf}/books/{book.id}"
                self.books[(req.shelf, book.id)] = book
                names.append(book.name)
        return self.M("UploadBooksResponse")(created_count=len(names), names=names)

    def GetBookCover(self, req, ctx):
        self.meta(ctx)
        HttpBody = message_factory.GetMessageClass(self.pool.FindMessageTypeByName("google.api.HttpBody"))
        return HttpBody(content_type="image/svg+xml", data=b"<svg>" + req.name.encode() + b"</svg>")

    def ReindexShelves(self, req, ctx):
        self.meta(ctx)
        return self.M("ReindexShelvesResponse")(reindexed_count=len(req.shelves))


def main():
    pool = load(sys.argv[1])
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    service = pool.FindServiceByName(PKG + "Bookstore")
    impl = Bookstore(pool)
    handlers = {}
    for method in service.methods:
        req = message_factory.GetMessageClass(method.input_type)
        fn = getattr(impl, method.name)
        if method.client_streaming:
            handlers[method.name] = grpc.stream_unary_rpc_method_handler(
                fn, request_deserializer=req.FromString, response_serializer=lambda m: m.SerializeToString())
        elif method.server_streaming:
            handlers[method.name] = grpc.unary_stream_rpc_method_handler(
                fn, request_deserializer=req.FromString, response_serializer=lambda m: m.SerializeToString())
        else:
            handlers[method.name] = grpc.unary_unary_rpc_method_handler(
                fn, request_deserializer=req.FromString, response_serializer=lambda m: m.SerializeToString())
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(PKG + "Bookstore", handlers),))
    port = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print(f"PORT {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.stop(grace=1).wait()
    sys.stdout.flush()
    os._exit(0)  # don't wait for the daemon thread blocked reading stdin


if __name__ == "__main__":
    main()
