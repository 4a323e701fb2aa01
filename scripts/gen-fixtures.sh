#!/usr/bin/env bash
# Regenerates the wire-format fixtures in Tests/ProtoWireTests/Fixtures/.
#
#   scripts/gen-fixtures.sh           write the generated files
#   scripts/gen-fixtures.sh --check   regenerate into a temp dir and exit 1
#                                     if any checked-in file differs
#
# Input: <name>.txtpb, whose first line is "# proto-message: <full type name>".
# Optional header lines "# also-decode-as: <full type name>" ask for extra
# decodings with another type (to exercise unknown fields).
# Output, per fixture:
#   <name>.bin                  protoc --encode=<type>
#   <name>.decoded.txt          protoc --decode=<type> of the .bin
#   <name>.raw.txt              protoc --decode_raw of the .bin
#   <name>.as_<Short>.txt       protoc --decode=<other type> of the .bin
# PROTOC and PROTOC_INCLUDE override the protoc binary and the directory that
# holds google/protobuf/descriptor.proto.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LC_ALL=C

FIXTURES="Tests/ProtoWireTests/Fixtures"
# Every schema a fixture may name; imports resolve through the -I paths.
SCHEMAS=(
  examples/kitchen_sink/v1/kitchen_sink.proto
  examples/kitchen_sink/v1/legacy.proto
  examples/bookstore/v1/bookstore.proto
)

# shellcheck source=lib/protoc-common.sh
source scripts/lib/protoc-common.sh
protoc_common_init fixtures "$@"

run_protoc() {
  "$PROTOC" -I protos -I "$WKT_INCLUDE" "$@" "${SCHEMAS[@]}"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fixtures=()
while IFS= read -r f; do
  fixtures+=("$f")
done < <(find "$FIXTURES" -maxdepth 1 -name '*.txtpb' -type f | sort)
if [[ ${#fixtures[@]} -eq 0 ]]; then
  echo "error: no .txtpb files in $FIXTURES" >&2
  exit 1
fi

outputs=()
for src in "${fixtures[@]}"; do
  name="$(basename "$src" .txtpb)"
  first="$(head -n 1 "$src")"
  if [[ ! "$first" =~ ^"# proto-message: "([A-Za-z0-9_.]+)$ ]]; then
    echo "error: $src: first line must be '# proto-message: <type>'" >&2
    exit 1
  fi
  type="${BASH_REMATCH[1]}"

  if ! run_protoc --encode="$type" <"$src" >"$tmp/$name.bin" 2>"$tmp/stderr"; then
    echo "error: encoding $src as $type failed:" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
  # protoc reports text-format warnings (e.g. deprecated fields) on stderr.
  if [[ -s "$tmp/stderr" ]]; then
    sed "s|^|$src: |" "$tmp/stderr" >&2
  fi
  run_protoc --decode="$type" <"$tmp/$name.bin" >"$tmp/$name.decoded.txt"
  "$PROTOC" --decode_raw <"$tmp/$name.bin" >"$tmp/$name.raw.txt"
  outputs+=("$name.bin" "$name.decoded.txt" "$name.raw.txt")

  while IFS= read -r other; do
    short="${other##*.}"
    run_protoc --decode="$other" <"$tmp/$name.bin" >"$tmp/$name.as_$short.txt"
    outputs+=("$name.as_$short.txt")
  done < <(sed -n 's/^# also-decode-as: \([A-Za-z0-9_.]*\)$/\1/p' "$src")
done

# Generated text files whose .txtpb no longer exists.
stale=()
while IFS= read -r f; do
  base="$(basename "$f")"
  stem="${base%%.*}"
  [[ -f "$FIXTURES/$stem.txtpb" ]] || stale+=("$f")
done < <(find "$FIXTURES" -maxdepth 1 -type f \
  \( -name '*.decoded.txt' -o -name '*.raw.txt' -o -name '*.as_*.txt' \) | sort)

if [[ $check -eq 1 ]]; then
  drift=0
  for f in "${outputs[@]}"; do
    if [[ ! -f "$FIXTURES/$f" ]]; then
      echo "drift: $FIXTURES/$f is missing" >&2
      drift=1
    elif ! cmp -s "$tmp/$f" "$FIXTURES/$f"; then
      echo "drift: $FIXTURES/$f differs from regenerated output" >&2
      drift=1
    fi
  done
  for f in "${stale[@]+"${stale[@]}"}"; do
    echo "drift: $f has no matching .txtpb (stale)" >&2
    drift=1
  done
  if [[ $drift -ne 0 ]]; then
    echo "run scripts/gen-fixtures.sh to update" >&2
    exit 1
  fi
  echo "fixtures up to date (${#fixtures[@]} fixtures, ${#outputs[@]} generated files)"
else
  for f in "${outputs[@]}"; do
    cp "$tmp/$f" "$FIXTURES/$f"
  done
  for f in "${stale[@]+"${stale[@]}"}"; do
    echo "warning: $f has no matching .txtpb; delete it or restore its source" >&2
  done
  echo "wrote ${#outputs[@]} files for ${#fixtures[@]} fixtures in $FIXTURES"
fi
