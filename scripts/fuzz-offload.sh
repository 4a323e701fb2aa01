#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the offloading stages (Fuzz/OffloadFuzz):
# Accept-Encoding negotiation, origin patterns and CORS decisions, the incremental request
# inflater (whole vs chunked must agree, limit kept) and the sync-flushing stream compressor.
#
#   scripts/fuzz-offload.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/offload (then minimise it)
#   scripts/fuzz-offload.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# Inputs start with a mode byte (bits 0-1: mode; bits 2-7: chunk size - 1); see the fuzzer's header.
# A crash leaves its input in Fuzz/artifacts/; keep it in the corpus and as a named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

scratch=$PWD/.build-fuzz-offload
mkdir -p Fuzz/artifacts Fuzz/corpus/offload
echo "fuzz-offload: building (swift build -c release, -sanitize=fuzzer,address)" >&2
swift build --package-path Fuzz/OffloadFuzz --scratch-path "$scratch" -c release \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >/dev/null
binary="$scratch/release/OffloadFuzzer"

# Seeds: one per mode (a gzip body from python3's zlib for the inflater).
seed() { printf "$1%s" "$2" > "Fuzz/corpus/offload/seed-$3"; }
seed '\x00' 'gzip;q=0.5, deflate, *;q=0, identity;q=0' accept-encoding
seed '\x05' 'https://*.example.com:8443\x00https://a.example.com:8443' origin-suffix
seed '\x01' '*\x00null' origin-any
python3 -c "import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, 31); sys.stdout.buffer.write(b'\x0a' + c.compress(b'{\"a\":1}' * 50) + c.flush())" \
  > Fuzz/corpus/offload/seed-gzip-body
seed '\x1f' '{"n":1}\n{"n":2}\n{"n":3}\n' stream

common=(-artifact_prefix=Fuzz/artifacts/ -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/offload "${common[@]}"
