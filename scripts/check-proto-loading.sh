#!/usr/bin/env bash
# `routes` and `transcode` must print the same from --proto (our .proto compiler) as from
# --descriptor-set (protoc's output) for every schema in protos/, and `compile` must write the
# bytes protoc writes. Runs the built CLI.
#
#   scripts/check-proto-loading.sh [path/to/grpc-gateway]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-.build/debug/grpc-gateway}"
[[ -x "$bin" ]] || { echo "error: $bin not built (swift build --product grpc-gateway)" >&2; exit 1; }

failures=0
same() {  # same DESCRIPTION -- descriptor-set args -- proto args [-- stdin file]
  local what="$1" set_out proto_out
  shift
  local -a set_args=() proto_args=()
  while [[ "$1" != "--" ]]; do set_args+=("$1"); shift; done; shift
  while [[ $# -gt 0 && "$1" != "--" ]]; do proto_args+=("$1"); shift; done
  local input=/dev/null
  [[ $# -gt 1 ]] && input="$2"
  set_out=$("$bin" "${set_args[@]}" <"$input" 2>&1 | od -An -tx1) || true
  proto_out=$("$bin" "${proto_args[@]}" <"$input" 2>&1 | od -An -tx1) || true
  if [[ "$set_out" != "$proto_out" ]]; then
    echo "DIFFERENT: $what" >&2
    failures=$((failures + 1))
  else
    echo "same: $what"
  fi
}

bookstore=(--proto-path protos --proto examples/bookstore/v1/bookstore.proto)
kitchen=(--proto-path protos --proto examples/kitchen_sink/v1/kitchen_sink.proto --proto examples/kitchen_sink/v1/legacy.proto)
for flags in "" "--json" "--no-auto-mapping"; do
  same "routes $flags bookstore" routes $flags --descriptor-set protos/descriptors/bookstore.pb -- routes $flags "${bookstore[@]}"
done
same "routes kitchen_sink" routes --descriptor-set protos/descriptors/kitchen_sink.pb -- routes "${kitchen[@]}"

# transcode every protoc-encoded fixture to JSON and back, under both schemas.
for txtpb in Tests/ProtoWireTests/Fixtures/*.txtpb; do
  name=$(basename "$txtpb" .txtpb)
  type=$(sed -n 's/^# proto-message: *//p' "$txtpb" | head -1)
  bin_file="Tests/ProtoWireTests/Fixtures/$name.bin"
  [[ -n "$type" && -f "$bin_file" ]] || continue
  same "transcode $name to json" transcode --type "$type" --from proto --to json \
    --descriptor-set protos/descriptors/kitchen_sink.pb -- \
    transcode --type "$type" --from proto --to json "${kitchen[@]}" -- "$bin_file"
done
book=$(mktemp)
trap 'rm -f "$book"' EXIT
echo '{"id":"7","title":"Dune","author":"Herbert"}' >"$book"
same "transcode bookstore Book json to proto" transcode --type example.bookstore.v1.Book --from json --to proto \
  --descriptor-set protos/descriptors/bookstore.pb -- \
  transcode --type example.bookstore.v1.Book --from json --to proto "${bookstore[@]}" -- "$book"

# `compile` writes the bytes protoc writes.
compiled=$(mktemp)
expected=$(mktemp)
trap 'rm -f "$book" "$compiled" "$expected"' EXIT
for proto in examples/bookstore/v1/bookstore.proto examples/kitchen_sink/v1/kitchen_sink.proto google/api/httpbody.proto; do
  "$bin" compile --proto-path protos -o "$compiled" "$proto"
  protoc -I protos -I /usr/include --include_imports --descriptor_set_out="$expected" "$proto"
  if cmp -s "$compiled" "$expected"; then
    echo "same: compile $proto"
  else
    echo "DIFFERENT: compile $proto" >&2
    failures=$((failures + 1))
  fi
done

if [[ $failures -gt 0 ]]; then
  echo "error: $failures outputs differ between --proto and --descriptor-set" >&2
  exit 1
fi
