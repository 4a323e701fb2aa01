#!/usr/bin/env python3
"""A Python grpcio client of the bookstore, for the gateway's native gRPC passthrough tests: it
calls through the gateway (h2c, content-type application/grpc) exactly as it would call the
backend, and prints what it got as one JSON object.

Usage: bookstore_client.py DESCRIPTOR_SET HOST:PORT SCENARIO
Scenarios:
  unary      GetShelf(1) with metadata x-token-bin (bytes 00 01 02) and x-plain; prints the reply
             (as text format), initial metadata and trailing metadata.
  stream     StreamBooks(shelf 1); prints the book names and the final code.
  error      MoveBook of a missing book: prints code, details and trailing metadata (the
             grpc-status-details-bin bytes in hex).
  unknown    a method of a service nobody serves: prints the code.
  upload     UploadBooks (client streaming) with three books; prints the reply.
"""
import base64
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format

PKG = "example.bookstore.v1."


def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return pool


def metadata_json(md):
    out = {}
    for key, value in md or ():
        out[key] = value.hex() if isinstance(value, bytes) else value
    return out


def main():
    pool = load(sys.argv[1])
    target, scenario = sys.argv[2], sys.argv[3]
    M = lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(PKG + name))
    channel = grpc.insecure_channel(target)
    grpc.channel_ready_future(channel).result(timeout=10)

    def method(name, request, response, kind="unary_unary", service=PKG + "Bookstore"):
        factory = getattr(channel, kind)
        return factory(f"/{service}/{name}", request_serializer=lambda m: m.SerializeToString(),
                       response_deserializer=M(response).FromString if response else None)

    result = {}
    if scenario == "unary":
        call = method("GetShelf", "GetShelfRequest", "Shelf")
        reply, info = call.with_call(M("GetShelfRequest")(shelf=1), timeout=10,
                                     metadata=[("x-token-bin", b"\x00\x01\x02"), ("x-plain", "hello")])
        result = {"reply": text_format.MessageToString(reply, as_one_line=True),
                  "initial": metadata_json(info.initial_metadata()),
                  "trailing": metadata_json(info.trailing_metadata()), "code": info.code().name}
    elif scenario == "stream":
        call = method("StreamBooks", "StreamBooksRequest", "Book", kind="unary_stream")
        responses = call(M("StreamBooksRequest")(shelf=1), timeout=10)
        result = {"names": [book.name for book in responses], "code": responses.code().name}
    elif scenario == "error":
        call = method("MoveBook", "MoveBookRequest", "Book")
        try:
            call(M("MoveBookRequest")(name="shelves/1/books/404", destination_shelf=2), timeout=10)
            result = {"code": "OK"}
        except grpc.RpcError as error:
            result = {"code": error.code().name, "details": error.details(),
                      "trailing": metadata_json(error.trailing_metadata())}
    elif scenario == "unknown":
        call = channel.unary_unary("/example.nowhere.v1.Nothing/Nope", request_serializer=lambda b: b,
                                   response_deserializer=lambda b: b)
        try:
            call(b"", timeout=10)
            result = {"code": "OK"}
        except grpc.RpcError as error:
            result = {"code": error.code().name, "details": error.details()}
    elif scenario == "upload":
        call = method("UploadBooks", "CreateBookRequest", "UploadBooksResponse", kind="stream_unary")
        books = [M("CreateBookRequest")(shelf=2, book=M("Book")(title=f"Upload {i}")) for i in range(3)]
        reply = call(iter(books), timeout=10)
        result = {"reply": text_format.MessageToString(reply, as_one_line=True)}
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
