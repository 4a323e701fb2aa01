#!/usr/bin/env bash
# Regenerates Tests/ProtoWireTests/PoolListings/*.txt: what Python's protobuf runtime resolves
# from each checked-in descriptor set. DescriptorPoolTests compares our pool against them.
#
#   scripts/gen-pool-listings.sh           rewrite the listings
#   scripts/gen-pool-listings.sh --check   exit 1 if a listing is out of date
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

out=Tests/ProtoWireTests/PoolListings
status=0
for set in protos/descriptors/*.pb; do
  name=$(basename "$set" .pb)
  listing=$(python3 scripts/describe-descriptor-set.py "$set")
  if [[ $check -eq 1 ]]; then
    if ! diff -q <(printf '%s\n' "$listing") "$out/$name.txt" >/dev/null 2>&1; then
      echo "drift: $out/$name.txt is out of date (run scripts/gen-pool-listings.sh)" >&2
      status=1
    fi
  else
    printf '%s\n' "$listing" > "$out/$name.txt"
  fi
done
exit $status
