# Shared by scripts/fuzz*.sh: argument parsing and the two ways of running a libFuzzer binary.
# Source it after `cd` to the repository root.

# Sets `mode` (fuzz or regression) and `seconds` from the script's arguments.
fuzz_parse_args() {
  mode=fuzz
  seconds=120
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --seconds) seconds="$2"; shift 2 ;;
      --regression) mode=regression; shift ;;
      *) echo "usage: $0 [--seconds N | --regression]" >&2; exit 2 ;;
    esac
  done
}

# fuzz_run BINARY CORPUS [libFuzzer flags...]
#   regression: every kept input once, then 20,000 new inputs from a fixed seed into a scratch
#               corpus, so that a given commit always runs the same inputs;
#   fuzz:       `seconds` of fuzzing that grows CORPUS, which is then minimised by a merge.
# `scratch` stays set for the caller's own clean-up.
fuzz_run() {
  local binary="$1" corpus="$2"
  shift 2
  if [[ $mode == regression ]]; then
    "$binary" "$@" -runs=0 "$corpus"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    "$binary" "$@" -seed=1 -runs=20000 "$scratch" "$corpus"
  else
    "$binary" "$@" -max_total_time="$seconds" "$corpus"
    local merged
    merged=$(mktemp -d)
    "$binary" -merge=1 "$merged" "$corpus" >/dev/null 2>&1
    rm -rf "$corpus" && mv "$merged" "$corpus"
  fi
}
