#!/usr/bin/env bash
# Measures intake and a Prism mock of the same create endpoint in one run:
# installs Prism from npm into a temp prefix, starts it at its fastest
# (-v error: no request logging; --cors false: no CORS headers; static
# examples, request validation on as by default) on internal/tooling/bench/openapi/create.yaml,
# then runs `intake bench --compare` against it, which also starts its own
# intake and ceiling. The last line is intake bench's.
#
#   internal/tooling/bench/prism.sh                                  # WelcomeKit, concurrency 64, 10 s
#   internal/tooling/bench/prism.sh --dialect flatchr --rounds 3     # any intake bench flag
#
# Environment: PRISM_VERSION (default 5), PRISM_PORT (default 4010),
# PRISM_FLAGS (extra prism mock flags, e.g. -m).
set -euo pipefail
cd "$(dirname "$0")/../../.."

port="${PRISM_PORT:-4010}"
work="$(mktemp -d -t intake-prism-XXXXXX)"
prism_pid=""
cleanup() {
  if [ -n "$prism_pid" ] && kill -0 "$prism_pid" 2>/dev/null; then
    kill "$prism_pid"
    wait "$prism_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "prism.sh: installing @stoplight/prism-cli@${PRISM_VERSION:-5} into $work/npm" >&2
npm install --prefix "$work/npm" --no-audit --no-fund --loglevel error "@stoplight/prism-cli@${PRISM_VERSION:-5}" >"$work/npm.log" 2>&1 ||
  { cat "$work/npm.log" >&2; exit 1; }
prism="$work/npm/node_modules/.bin/prism"
echo "prism.sh: $("$prism" --version | head -n1), node $(node --version)" >&2

echo "prism.sh: building intake" >&2
go build -o "$work/intake" ./cmd/intake

# shellcheck disable=SC2086 # PRISM_FLAGS is a list of flags
"$prism" mock -h 127.0.0.1 -p "$port" -v error --cors false ${PRISM_FLAGS:-} internal/tooling/bench/openapi/create.yaml >"$work/prism.log" 2>&1 &
prism_pid=$!
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    break
  fi
  if ! kill -0 "$prism_pid" 2>/dev/null; then
    cat "$work/prism.log" >&2
    exit 1
  fi
  sleep 0.5
done

"$work/intake" bench --compare "http://127.0.0.1:$port" "$@"
