#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the gateway's request path (Fuzz/GatewayFuzz): bytes as
# an HTTP/1.1 request stream through NIO's parser, the pipeline's sans-I/O core and answer side,
# and the response encoder; every answer must be well-formed, and JSON google.rpc.Status when not 2xx.
#
#   scripts/fuzz-gateway.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/gateway (then minimise it)
#   scripts/fuzz-gateway.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# Inputs start with a mode byte (bits 0-1: limits and JSON options; bits 2-7: feed chunk size - 1).
# A crash leaves its input in Fuzz/artifacts/; keep it in the corpus and as a named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

# Its own package (NIO included) built with the sanitizers: release to fuzz, debug for the
# regression run (much quicker to compile on a fresh machine, fast enough for 20,000 inputs).
scratch=$PWD/.build-fuzz-gateway
configuration=release
[[ $mode == regression ]] && configuration=debug
mkdir -p Fuzz/artifacts Fuzz/corpus/gateway
echo "fuzz-gateway: building (swift build -c $configuration, -sanitize=fuzzer,address)" >&2
swift build --package-path Fuzz/GatewayFuzz --scratch-path "$scratch" -c "$configuration" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >/dev/null
binary="$scratch/$configuration/GatewayFuzzer"

# Seeds: every golden scenario's request (mode byte 0x00 = whole input in chunks of 1, 0xfc = 64).
for folder in Tests/GatewayTests/Scenarios/*/; do
  name=$(basename "$folder")
  for request in "$folder"request.http "$folder"request.raw; do
    [[ -f $request ]] || continue
    { printf '\xfc'; sed 's/$/\r/' "$request"; } > "Fuzz/corpus/gateway/seed-$name"
  done
done

export FUZZ_DESCRIPTOR_SET=protos/descriptors/bookstore.pb
common=(-artifact_prefix=Fuzz/artifacts/ -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/gateway "${common[@]}"
