#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the client-streaming body splitter
# (Fuzz/StreamSplitterFuzzer.swift over Sources/Gateway/Pipeline/JSONStreamSplitter.swift):
# no trap, messages within the limit, and the same result however the body is chunked.
#
#   scripts/fuzz-splitter.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/splitter (then minimise it)
#   scripts/fuzz-splitter.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz
mkdir -p "$out" Fuzz/artifacts Fuzz/corpus/splitter
binary="$out/stream-splitter-fuzzer"
sources=(Sources/Gateway/Pipeline/JSONStreamSplitter.swift Fuzz/StreamSplitterFuzzer.swift)
if [[ ! -x "$binary" ]] || [[ -n $(find "${sources[@]}" -newer "$binary") ]]; then
  echo "fuzz-splitter: building $binary" >&2
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name SplitterFuzz \
    "${sources[@]}" -o "$binary" 2>&1 | { grep -v 'Cannot export local symbol' || true; }
  [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "fuzz-splitter: build failed" >&2; exit 1; }
fi

# Seeds: an NDJSON and a JSON-array body in a few modes.
printf '\x00{"book":{"title":"a\\"b"}}\n\n{"shelf":"2"}\n' > Fuzz/corpus/splitter/seed-ndjson
printf '\x31 [ {"a":[1,{"b":"]"}]} , 12, "x", {} ] ' > Fuzz/corpus/splitter/seed-array
printf '\xf3[{"a":"\\u005d"},{"nested":[[[[]]]]}]' > Fuzz/corpus/splitter/seed-array-small-chunks

common=(-artifact_prefix=Fuzz/artifacts/ -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/splitter "${common[@]}"
