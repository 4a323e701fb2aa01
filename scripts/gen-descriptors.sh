#!/usr/bin/env bash
# Regenerates the checked-in FileDescriptorSets in protos/descriptors/.
#
#   scripts/gen-descriptors.sh           write protos/descriptors/*.pb
#   scripts/gen-descriptors.sh --check   regenerate into a temp dir and exit 1
#                                        if any checked-in file differs
#
# The sets are built with --include_imports and without source info, so they
# only change when a .proto changes (or protoc's own bundled files do).
# PROTOC and PROTOC_INCLUDE may be set to override the protoc binary and the
# directory that holds google/protobuf/descriptor.proto.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LC_ALL=C

OUT_DIR="protos/descriptors"

# shellcheck source=lib/protoc-common.sh
source scripts/lib/protoc-common.sh
protoc_common_init descriptors "$@"

# Every .proto protoc ships, relative to the include dir, in a stable order.
wkt_files=()
while IFS= read -r f; do
  wkt_files+=("$f")
done < <(cd "$WKT_INCLUDE" && find google/protobuf -name '*.proto' -type f | sort)
if [[ ! -f "$WKT_INCLUDE/google/protobuf/compiler/plugin.proto" ]]; then
  echo "error: $WKT_INCLUDE/google/protobuf/compiler/plugin.proto is missing" >&2
  echo "       (on Debian/Ubuntu: apt-get install libprotoc-dev)" >&2
  exit 1
fi

# build <output file> <proto files...>
build() {
  local out="$1"
  shift
  "$PROTOC" -I protos -I "$WKT_INCLUDE" --include_imports --descriptor_set_out="$out" "$@"
}

generate() {
  local dir="$1"
  build "$dir/bookstore.pb" \
    examples/bookstore/v1/bookstore.proto
  build "$dir/kitchen_sink.pb" \
    examples/kitchen_sink/v1/kitchen_sink.proto \
    examples/kitchen_sink/v1/legacy.proto
  build "$dir/google_api.pb" \
    google/api/http.proto \
    google/api/annotations.proto \
    google/api/httpbody.proto
  build "$dir/wellknown.pb" "${wkt_files[@]}"
  build "$dir/routing.pb" \
    examples/routing/v1/routing.proto
  build "$dir/routing_invalid.pb" \
    examples/routing/v1/invalid_routes.proto
}

OUTPUTS=(bookstore.pb kitchen_sink.pb google_api.pb wellknown.pb routing.pb routing_invalid.pb)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
generate "$tmp"

if [[ $check -eq 1 ]]; then
  drift=0
  for f in "${OUTPUTS[@]}"; do
    if [[ ! -f "$OUT_DIR/$f" ]]; then
      echo "drift: $OUT_DIR/$f is missing" >&2
      drift=1
    elif ! cmp -s "$tmp/$f" "$OUT_DIR/$f"; then
      echo "drift: $OUT_DIR/$f differs from regenerated output" >&2
      drift=1
    fi
  done
  if [[ $drift -ne 0 ]]; then
    echo "run scripts/gen-descriptors.sh to update" >&2
    exit 1
  fi
  echo "descriptors up to date (${#OUTPUTS[@]} files)"
else
  mkdir -p "$OUT_DIR"
  for f in "${OUTPUTS[@]}"; do
    cp "$tmp/$f" "$OUT_DIR/$f"
  done
  echo "wrote ${OUTPUTS[*]/#/$OUT_DIR/}"
fi
