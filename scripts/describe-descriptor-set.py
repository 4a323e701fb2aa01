#!/usr/bin/env python3
"""Prints a canonical listing of a FileDescriptorSet as Python's protobuf runtime resolves it.

It is the independent oracle for DescriptorPoolTests: our Swift DescriptorPool renders the same
listing, and the two must agree line for line. Usage:

    scripts/describe-descriptor-set.py protos/descriptors/bookstore.pb > listing.txt
"""
import sys

from google.protobuf import descriptor, descriptor_pb2, descriptor_pool

LABELS = {1: "optional", 2: "required", 3: "repeated"}
TYPES = {
    1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32",
    8: "bool", 9: "string", 10: "group", 11: "message", 12: "bytes", 13: "uint32", 14: "enum",
    15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64",
}


def field_line(kind, field, extendee=None):
    type_name = "-"
    if field.message_type is not None:
        type_name = field.message_type.full_name
    elif field.enum_type is not None:
        type_name = field.enum_type.full_name
    oneof = field.containing_oneof.name if field.containing_oneof is not None else "-"
    label = "repeated" if field.is_repeated else ("required" if field.is_required else "optional")
    parts = [
        kind, field.full_name, "#%d" % field.number, label, TYPES[field.type], "type=" + type_name,
        "json=" + field.json_name, "oneof=" + oneof, "presence=%d" % field.has_presence,
        "packed=%d" % field.is_packed,
    ]
    if extendee is not None:
        parts.append("extendee=" + extendee)
    return " ".join(parts)


def describe_message(message, lines):
    is_map = message.GetOptions().map_entry
    lines.append("message %s map_entry=%d" % (message.full_name, is_map))
    for field in message.fields:
        lines.append(field_line("field", field))
    for ext in message.extensions:
        lines.append(field_line("extension", ext, ext.containing_type.full_name))
    for nested in message.nested_types:
        describe_message(nested, lines)
    for enum in message.enum_types:
        describe_enum(enum, lines)


def describe_enum(enum, lines):
    values = ",".join("%s=%d" % (v.name, v.number) for v in enum.values)
    lines.append("enum %s closed=%d values=%s" % (enum.full_name, enum.is_closed, values))


def main(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file_proto in fds.file:
        pool.Add(file_proto)
    lines = []
    for file_proto in fds.file:
        file = pool.FindFileByName(file_proto.name)
        syntax = file_proto.syntax or "proto2"
        lines.append("file %s package=%s syntax=%s deps=%s" % (
            file.name, file.package or "-", syntax, ",".join(file_proto.dependency) or "-"))
        for message in file.message_types_by_name.values():
            describe_message(message, lines)
        for enum in file.enum_types_by_name.values():
            describe_enum(enum, lines)
        for ext in file.extensions_by_name.values():
            lines.append(field_line("extension", ext, ext.containing_type.full_name))
        for service in file.services_by_name.values():
            lines.append("service %s" % service.full_name)
            for method in service.methods:
                lines.append("method %s in=%s out=%s client_streaming=%d server_streaming=%d" % (
                    method.full_name, method.input_type.full_name, method.output_type.full_name,
                    method.client_streaming, method.server_streaming))
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
