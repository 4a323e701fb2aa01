# Shared by the scripts that regenerate checked-in protoc output (gen-descriptors.sh,
# gen-fixtures.sh). Source it after `cd` to the repository root; it reads $1 for --check and
# sets:
#   PROTOC       the protoc binary (override with PROTOC)
#   check        1 for --check (compare, write nothing), else 0
#   WKT_INCLUDE  the directory holding protoc's google/protobuf/*.proto (override with
#                PROTOC_INCLUDE)
# and warns when protoc is not the version the checked-in files were made with ($1 of
# protoc_common_init names what they are, for the warning).

EXPECTED_PROTOC_VERSION="libprotoc 3.21.12"
PROTOC="${PROTOC:-protoc}"

protoc_common_usage() {
  echo "usage: $0 [--check]" >&2
  exit 2
}

# protoc_common_init WHAT [ARGS...]: parses ARGS, checks protoc, finds the include directory.
protoc_common_init() {
  local what="$1"
  shift
  check=0
  case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) protoc_common_usage ;;
  esac
  [[ $# -le 1 ]] || protoc_common_usage

  command -v "$PROTOC" >/dev/null 2>&1 || { echo "error: protoc not found (set PROTOC)" >&2; exit 1; }
  local version
  version="$("$PROTOC" --version)"
  if [[ "$version" != "$EXPECTED_PROTOC_VERSION" ]]; then
    echo "warning: using '$version'; checked-in $what were made with '$EXPECTED_PROTOC_VERSION'" >&2
  fi
  WKT_INCLUDE="$(protoc_find_wkt_include)"
}

# The include directory that holds protoc's bundled google/protobuf/*.proto.
protoc_find_wkt_include() {
  local candidates=()
  [[ -n "${PROTOC_INCLUDE:-}" ]] && candidates+=("$PROTOC_INCLUDE")
  local bin
  bin="$(command -v "$PROTOC")"
  bin="$(readlink -f "$bin" 2>/dev/null || echo "$bin")"
  candidates+=("$(dirname "$bin")/../include" /usr/include /usr/local/include /opt/homebrew/include)
  local dir
  for dir in "${candidates[@]}"; do
    if [[ -f "$dir/google/protobuf/descriptor.proto" ]]; then
      (cd "$dir" && pwd)
      return 0
    fi
  done
  echo "error: cannot find google/protobuf/descriptor.proto (set PROTOC_INCLUDE)" >&2
  return 1
}
