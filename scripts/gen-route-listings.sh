#!/usr/bin/env bash
# Regenerates Tests/TranscoderTests/RoutingFixtures/routes-<set>.txt: what `grpc-gateway routes`
# prints for each checked-in descriptor set (its error lines, for a set with invalid annotations).
# RouteTableTests compares the route table's listing against them, so CI fails if they drift.
#
#   scripts/gen-route-listings.sh           rewrite the listings
#   scripts/gen-route-listings.sh --check   exit 1 if a listing is out of date
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

scratch="${SCRATCH_PATH:-.build}"
swift build --scratch-path "$scratch" --product grpc-gateway >&2
binary="$scratch/debug/grpc-gateway"

out=Tests/TranscoderTests/RoutingFixtures
mkdir -p "$out"
status=0
for set in protos/descriptors/*.pb; do
  name=$(basename "$set" .pb)
  # Exit status 1 means invalid annotations: the listing is the error report.
  listing=$("$binary" routes --descriptor-set "$set" 2>&1) || [[ $? -eq 1 ]]
  if [[ $check -eq 1 ]]; then
    if ! diff -q <(printf '%s\n' "$listing") "$out/routes-$name.txt" >/dev/null 2>&1; then
      echo "drift: $out/routes-$name.txt is out of date (run scripts/gen-route-listings.sh)" >&2
      status=1
    fi
  else
    printf '%s\n' "$listing" > "$out/routes-$name.txt"
  fi
done
exit $status
