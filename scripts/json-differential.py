#!/usr/bin/env python3
"""Differential test oracle for the ProtoJSON codec: Python `protobuf`'s json_format.

  json-differential.py generate --descriptor-set FILE.pb --count N --seed S --out CASES
      Writes N random example.kitchen_sink.v1.KitchenSink messages, one per line:
      hex(binary) TAB json(default) TAB json(emitDefaults) TAB json(protoNames) TAB json(enumsAsInts)

  json-differential.py verify --descriptor-set FILE.pb --cases CASES --ours OURS
      OURS has one line per case: hex(our JSON->proto of each of Python's four JSONs, joined
      by ',') TAB our four JSON outputs (hex of UTF-8). Checks that every byte string parses
      to the original message and every JSON of ours parses (json_format.Parse) to it and means
      the same JSON (json.loads equality) as Python's. Prints disagreements; exits 1 if any.
"""
import argparse
import base64
import json
import math
import random
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD

TYPE = "example.kitchen_sink.v1.KitchenSink"
OPTION_SETS = [
    {},
    {"always_print_fields_with_no_presence": True},
    {"preserving_proto_field_name": True},
    {"use_integers_for_enums": True},
]


def load_pool(path):
    fds = descriptor_pb2.FileDescriptorSet.FromString(open(path, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    return pool


class Generator:
    def __init__(self, pool, rng):
        self.pool = pool
        self.rng = rng

    def string(self):
        alphabet = ["a", "b", "Z", " ", "\"", "\\", "\n", "\u00e9", "\u4e2d", "\U0001F600", "/", "\t", "\u0001"]
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 8)))

    def scalar(self, field):
        r = self.rng
        t = field.type
        if t in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
            return r.choice([0, 1, -1, 2**31 - 1, -2**31, r.randint(-2**31, 2**31 - 1)])
        if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
            return r.choice([0, 1, -1, 2**63 - 1, -2**63, 2**53 + 1, r.randint(-2**63, 2**63 - 1)])
        if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
            return r.choice([0, 1, 2**32 - 1, r.randint(0, 2**32 - 1)])
        if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
            return r.choice([0, 1, 2**64 - 1, r.randint(0, 2**64 - 1)])
        if t == FD.TYPE_BOOL:
            return r.choice([True, False])
        if t == FD.TYPE_STRING:
            return self.string()
        if t == FD.TYPE_BYTES:
            return bytes(r.randint(0, 255) for _ in range(r.randint(0, 7)))
        if t == FD.TYPE_DOUBLE:
            return r.choice([0.0, -0.0, 1.5, -2.25, 1e-300, 1.7976931348623157e308, 0.1, 5e-324,
                             float("inf"), float("-inf"), float("nan"), r.uniform(-1e6, 1e6), 123456789.0])
        if t == FD.TYPE_FLOAT:
            value = r.choice([0.0, 1.5, -2.25, 0.1, 3.4028234663852886e38, 1e-45, float("inf"), float("nan"),
                              r.uniform(-1e3, 1e3)])
            return struct.unpack("f", struct.pack("f", value))[0]
        if t == FD.TYPE_ENUM:
            values = [v.number for v in field.enum_type.values]
            if field.enum_type.full_name == "google.protobuf.NullValue":
                return 0
            if field.enum_type.is_closed:
                return r.choice(values)
            return r.choice(values + [7, -3])
        raise ValueError(t)

    def fill(self, message, depth):
        r = self.rng
        descriptor = message.DESCRIPTOR
        wkt = descriptor.full_name
        if wkt == "google.protobuf.Timestamp":
            message.seconds = r.randint(-62135596800, 253402300799)
            message.nanos = r.choice([0, 0, 500000000, 123000, 999999999, r.randint(0, 999999999)])
            return
        if wkt == "google.protobuf.Duration":
            seconds = r.randint(0, 315576000000)
            nanos = r.choice([0, 500000000, 1000, r.randint(0, 999999999)])
            if seconds == 315576000000:
                nanos = 0
            sign = r.choice([1, -1])
            message.seconds = sign * seconds
            message.nanos = sign * nanos
            return
        if wkt == "google.protobuf.FieldMask":
            for _ in range(r.randint(0, 3)):
                message.paths.append(r.choice(["a", "foo_bar", "x.y_z", "deep.nested.path_name"]))
            return
        if wkt == "google.protobuf.Struct":
            for i in range(r.randint(0, 3)):
                self.fill_value(message.fields[self.string()], depth + 1)
            return
        if wkt == "google.protobuf.Value":
            self.fill_value(message, depth)
            return
        if wkt == "google.protobuf.ListValue":
            for _ in range(r.randint(0, 3)):
                self.fill_value(message.values.add(), depth + 1)
            return
        if wkt == "google.protobuf.Any":
            choice = r.randint(0, 2)
            if choice == 0:
                inner = message_factory.GetMessageClass(
                    self.pool.FindMessageTypeByName(TYPE + ".Nested"))()
                self.fill(inner, depth + 1)
            elif choice == 1:
                inner = message_factory.GetMessageClass(self.pool.FindMessageTypeByName("google.protobuf.Duration"))()
                self.fill(inner, depth + 1)
            else:
                inner = message_factory.GetMessageClass(self.pool.FindMessageTypeByName("google.protobuf.Int32Value"))()
                inner.value = r.randint(-5, 5)
            message.Pack(inner)
            return
        oneof_done = set()
        for field in descriptor.fields:
            if r.random() > (0.35 if depth == 0 else 0.15):
                continue
            if field.containing_oneof is not None and not field.containing_oneof.name.startswith("_"):
                if field.containing_oneof.name in oneof_done:
                    continue
                oneof_done.add(field.containing_oneof.name)
            is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
            if is_map:
                key_field = field.message_type.fields_by_name["key"]
                value_field = field.message_type.fields_by_name["value"]
                container = getattr(message, field.name)
                for _ in range(r.randint(0, 3)):
                    key = self.scalar(key_field)
                    if value_field.type == FD.TYPE_MESSAGE:
                        if depth >= 2 and value_field.message_type.full_name == TYPE:
                            continue
                        self.fill(container[key], depth + 1)
                    else:
                        container[key] = self.scalar(value_field)
            elif field.is_repeated:
                container = getattr(message, field.name)
                for _ in range(r.randint(0, 3)):
                    if field.type == FD.TYPE_MESSAGE:
                        if depth >= 2 and field.message_type.full_name == TYPE:
                            continue
                        self.fill(container.add(), depth + 1)
                    else:
                        container.append(self.scalar(field))
            elif field.type == FD.TYPE_MESSAGE:
                if depth >= 2 and field.message_type.full_name in (TYPE, TYPE + ".Nested"):
                    continue
                sub = getattr(message, field.name)
                sub.SetInParent()
                self.fill(sub, depth + 1)
            else:
                setattr(message, field.name, self.scalar(field))

    def fill_value(self, value, depth):
        r = self.rng
        kinds = ["null", "number", "string", "bool"] + (["struct", "list"] if depth < 3 else [])
        kind = r.choice(kinds)
        if kind == "null":
            value.null_value = 0
        elif kind == "number":
            value.number_value = r.choice([0.0, 1.0, -2.5, 1e21, 0.1, r.uniform(-1e9, 1e9)])
        elif kind == "string":
            value.string_value = self.string()
        elif kind == "bool":
            value.bool_value = r.choice([True, False])
        elif kind == "struct":
            value.struct_value.SetInParent()
            self.fill(value.struct_value, depth + 1)
        else:
            value.list_value.SetInParent()
            self.fill(value.list_value, depth + 1)


def generate(args):
    pool = load_pool(args.descriptor_set)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(TYPE))
    gen = Generator(pool, random.Random(args.seed))
    with open(args.out, "w") as out:
        for _ in range(args.count):
            message = cls()
            gen.fill(message, 0)
            jsons = [json_format.MessageToJson(message, indent=None, descriptor_pool=pool, **o) for o in OPTION_SETS]
            out.write("\t".join([message.SerializeToString().hex()] + [j.encode().hex() for j in jsons]) + "\n")


def nan_equal(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(nan_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(nan_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        # float fields: Python prints at least 6 significant digits (1.4013e-45), we print the
        # shortest text that reads back as the same float32 (1e-45); both name the same float.
        return a == b or float32(a) == float32(b)
    return a == b and type(a) is type(b)


def float32(value):
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return value


def verify(args):
    pool = load_pool(args.descriptor_set)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(TYPE))
    problems = 0
    cases = open(args.cases).read().splitlines()
    ours = open(args.ours).read().splitlines()
    assert len(cases) == len(ours), "case count differs"
    for number, (case, mine) in enumerate(zip(cases, ours)):
        columns = case.split("\t")
        original = cls.FromString(bytes.fromhex(columns[0]))
        python_jsons = [bytes.fromhex(c).decode() for c in columns[1:]]
        our_columns = mine.split("\t")
        our_binaries = our_columns[0].split(",")
        our_jsons = our_columns[1:]
        for index, our_hex in enumerate(our_binaries):
            if our_hex.startswith("ERROR"):
                problems += 1
                print(f"case {number} option {index}: our JSON->proto failed: {bytes.fromhex(our_hex[6:]).decode()}\n  input {python_jsons[index]}")
                continue
            parsed = cls.FromString(bytes.fromhex(our_hex))
            if parsed != original and not same_with_nan(parsed, original, pool):
                problems += 1
                print(f"case {number} option {index}: our JSON->proto differs\n  input {python_jsons[index]}\n  ours  {json_format.MessageToJson(parsed, indent=None, descriptor_pool=pool)}")
        for index, our_json_hex in enumerate(our_jsons):
            if our_json_hex.startswith("ERROR"):
                problems += 1
                print(f"case {number} option {index}: our proto->JSON failed: {bytes.fromhex(our_json_hex[6:]).decode()}")
                continue
            our_json = bytes.fromhex(our_json_hex).decode()
            expected_json = json.loads(python_jsons[index])
            if index == 3:
                # use_integers_for_enums prints google.protobuf.NullValue as 0; the ProtoJSON
                # mapping gives NullValue the JSON form null, whatever the enum option, so we
                # print null (and both read back as NULL_VALUE).
                expected_json = json.loads(python_jsons[index], object_hook=null_for_zero_null_fields)
            if not nan_equal(json.loads(our_json), expected_json):
                problems += 1
                print(f"case {number} option {index}: proto->JSON differs\n  python {python_jsons[index]}\n  ours   {our_json}")
                continue
            try:
                back = json_format.Parse(our_json, cls(), descriptor_pool=pool)
            except Exception as error:  # noqa: BLE001 - report any parse failure
                if not parses(python_jsons[index], cls, pool):
                    # Python rejects its own output too: it prints FLT_MAX as 3.4028235e+38 but
                    # rejects that text as "Float value too large" (a float field's JSON number is
                    # read as the nearest float, which is FLT_MAX). Not a disagreement with us.
                    continue
                problems += 1
                print(f"case {number} option {index}: Python cannot parse our JSON: {error}\n  {our_json}")
                continue
            if back != original and not same_with_nan(back, original, pool):
                problems += 1
                print(f"case {number} option {index}: our JSON parses to another message\n  {our_json}")
    print(f"{len(cases)} cases, {problems} disagreements")
    sys.exit(1 if problems else 0)


NULL_VALUE_FIELDS = {"choiceNull", "wktNullValue"}


def null_for_zero_null_fields(obj):
    return {k: (None if k in NULL_VALUE_FIELDS and v == 0 else v) for k, v in obj.items()}


def parses(text, cls, pool):
    try:
        json_format.Parse(text, cls(), descriptor_pool=pool)
        return True
    except Exception:  # noqa: BLE001
        return False


def same_with_nan(a, b, pool):
    """Messages holding NaN never compare equal; compare their canonical JSON instead."""
    ja = json.loads(json_format.MessageToJson(a, indent=None, descriptor_pool=pool))
    jb = json.loads(json_format.MessageToJson(b, indent=None, descriptor_pool=pool))
    return ja == jb


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--descriptor-set", required=True)
    g.add_argument("--count", type=int, default=1000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--descriptor-set", required=True)
    v.add_argument("--cases", required=True)
    v.add_argument("--ours", required=True)
    args = parser.parse_args()
    generate(args) if args.command == "generate" else verify(args)


if __name__ == "__main__":
    main()
