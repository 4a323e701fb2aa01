#!/usr/bin/env python3
"""The editions oracle for EditionsTests: Python protobuf (upb, an implementation nobody here
wrote) builds the editions schema below, resolves its features, and encodes test messages.

Usage: editions_oracle.py OUT.pb
Writes the schema as a FileDescriptorSet to OUT.pb and prints one JSON object on stdout:
  fields:   {full name: {type, presence, packed, required}} as Python resolved them;
  closed:   {enum full name: is_closed};
  messages: [{name, hex, json}] messages Python built: their encoding (for re-encoding by us)
            and their ProtoJSON form;
  utf8:     [{name, hex, accepted}] whether Python's decoder accepts invalid UTF-8 per field.
"""
import json
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory, text_format

SCHEMA = """
name: "editions/v1/editions.proto" package: "editions.v1" syntax: "editions" edition: EDITION_2023
options { features { field_presence: IMPLICIT } }
message_type {
  name: "Features"
  field { name: "implicit_int" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
  field { name: "explicit_int" number: 2 type: TYPE_INT32 label: LABEL_OPTIONAL
          options { features { field_presence: EXPLICIT } } }
  field { name: "packed_ints" number: 3 type: TYPE_INT32 label: LABEL_REPEATED }
  field { name: "expanded_ints" number: 4 type: TYPE_INT32 label: LABEL_REPEATED
          options { features { repeated_field_encoding: EXPANDED } } }
  field { name: "delimited" number: 5 type: TYPE_MESSAGE type_name: ".editions.v1.Inner" label: LABEL_OPTIONAL
          options { features { message_encoding: DELIMITED } } }
  field { name: "prefixed" number: 6 type: TYPE_MESSAGE type_name: ".editions.v1.Inner" label: LABEL_OPTIONAL }
  field { name: "open_enum" number: 7 type: TYPE_ENUM type_name: ".editions.v1.Open" label: LABEL_OPTIONAL }
  field { name: "closed_enum" number: 8 type: TYPE_ENUM type_name: ".editions.v1.Closed" label: LABEL_OPTIONAL
          options { features { field_presence: EXPLICIT } } }
  field { name: "checked_text" number: 9 type: TYPE_STRING label: LABEL_OPTIONAL }
  field { name: "raw_text" number: 10 type: TYPE_STRING label: LABEL_OPTIONAL
          options { features { utf8_validation: NONE } } }
  field { name: "must" number: 11 type: TYPE_INT32 label: LABEL_OPTIONAL
          options { features { field_presence: LEGACY_REQUIRED } } }
  field { name: "choice_text" number: 12 type: TYPE_STRING label: LABEL_OPTIONAL oneof_index: 0 }
  field { name: "choice_int" number: 13 type: TYPE_INT32 label: LABEL_OPTIONAL oneof_index: 0 }
  oneof_decl { name: "choice" }
  nested_type {
    name: "Expanded"
    options { features { repeated_field_encoding: EXPANDED } }
    field { name: "ints" number: 1 type: TYPE_INT32 label: LABEL_REPEATED }
    field { name: "repacked" number: 2 type: TYPE_INT32 label: LABEL_REPEATED
            options { features { repeated_field_encoding: PACKED } } }
  }
  field { name: "expanded" number: 14 type: TYPE_MESSAGE type_name: ".editions.v1.Features.Expanded"
          label: LABEL_OPTIONAL }
}
message_type {
  name: "Delimited"
  options { features { message_encoding: DELIMITED } }
  field { name: "inner" number: 1 type: TYPE_MESSAGE type_name: ".editions.v1.Inner" label: LABEL_OPTIONAL }
  field { name: "by_name" number: 2 type: TYPE_MESSAGE type_name: ".editions.v1.Delimited.ByNameEntry"
          label: LABEL_REPEATED }
  nested_type {
    name: "ByNameEntry"
    options { map_entry: true }
    field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "value" number: 2 type: TYPE_MESSAGE type_name: ".editions.v1.Inner" label: LABEL_OPTIONAL }
  }
}
message_type {
  name: "Inner"
  options { features { field_presence: EXPLICIT } }
  field { name: "note" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
  field { name: "count" number: 2 type: TYPE_INT32 label: LABEL_OPTIONAL }
}
enum_type { name: "Open" value { name: "OPEN_ZERO" number: 0 } value { name: "OPEN_ONE" number: 1 } }
enum_type {
  name: "Closed" options { features { enum_type: CLOSED } }
  value { name: "CLOSED_ONE" number: 1 } value { name: "CLOSED_TWO" number: 2 }
}
"""


def main():
    proto = text_format.Parse(SCHEMA, descriptor_pb2.FileDescriptorProto())
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    descriptor_set = descriptor_pb2.FileDescriptorSet(file=[proto])
    with open(sys.argv[1], "wb") as out:
        out.write(descriptor_set.SerializeToString())

    fields = {}
    for name in ["editions.v1.Features", "editions.v1.Features.Expanded", "editions.v1.Inner", "editions.v1.Delimited"]:
        for field in pool.FindMessageTypeByName(name).fields:
            fields[field.full_name] = {
                "type": field.type,
                "presence": field.has_presence,
                "packed": field.is_packed,
                "required": field.is_required,
            }
    closed = {name: pool.FindEnumTypeByName(name).is_closed for name in ["editions.v1.Open", "editions.v1.Closed"]}

    features = message_factory.GetMessageClass(pool.FindMessageTypeByName("editions.v1.Features"))
    built = [
        features(explicit_int=0, implicit_int=0, must=0),
        features(implicit_int=5, packed_ints=[1, 2, 300], expanded_ints=[4, 5], must=1),
        features(delimited={"note": "in a group", "count": 0}, prefixed={"note": "prefixed"}, must=2),
        features(open_enum=1, closed_enum=2, checked_text="✓", raw_text="plain", choice_int=0, must=3),
        features(expanded={"ints": [1, 2], "repacked": [3, 4]}, must=4),
    ]
    delimited = message_factory.GetMessageClass(pool.FindMessageTypeByName("editions.v1.Delimited"))
    built.append(delimited(inner={"note": "grouped"}, by_name={"a": {"note": "prefixed", "count": 2}}))
    messages = [
        {"name": m.DESCRIPTOR.full_name, "hex": m.SerializeToString().hex(), "json": json_format.MessageToJson(m)}
        for m in built
    ]

    utf8 = []
    for number, name in [(9, "checked_text"), (10, "raw_text")]:
        raw = bytes([number << 3 | 2, 2, 0xC3, 0x28]) + bytes([11 << 3, 0])  # invalid UTF-8, then must = 0
        try:
            features.FromString(raw)
            accepted = True
        except Exception:
            accepted = False
        utf8.append({"name": name, "hex": raw.hex(), "accepted": accepted})

    json.dump({"fields": fields, "closed": closed, "messages": messages, "utf8": utf8}, sys.stdout)


if __name__ == "__main__":
    main()
