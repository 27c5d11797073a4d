#!/usr/bin/env bash
# Runs the measurement series of docs/BENCHMARKS.md and keeps every raw
# report: run it on a quiet machine (see `uptime`), it takes about 20
# minutes. Each figure is `intake bench --rounds 3`: ceiling and intake
# measured alternately three times, the summary taking medians.
#
#   internal/tooling/bench/series.sh [OUT_DIR]      # default: ${TMPDIR:-/tmp}/intake-bench-series
#
# Environment: DB_DIR (default $OUT_DIR/db) keeps the generated databases
# between runs; DURATION (default 5s) and WARMUP (default 2s) per load;
# SKIP_PRISM=1 skips the Prism comparison (it needs the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-${TMPDIR:-/tmp}/intake-bench-series}"
db="${DB_DIR:-$out/db}"
duration="${DURATION:-5s}"
warmup="${WARMUP:-2s}"
mkdir -p "$out" "$db"
out="$(cd "$out" && pwd)"
db="$(cd "$db" && pwd)"
bin="$out/intake"
go build -o "$bin" ./cmd/intake
token=ik_bench_scale_token
common=(--duration "$duration" --warmup "$warmup" --rounds 3)

log() { echo "series: $*" >&2; }
# run NAME ARGS...: one intake bench, its report kept as NAME.txt.
run() {
  local name="$1"
  shift
  log "$name: intake bench $*"
  echo "# uptime: $(uptime)" >"$out/$name.txt"
  "$bin" bench "$@" >>"$out/$name.txt" 2>"$out/$name.err"
  tail -n1 "$out/$name.txt" >&2
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo
  grep MemTotal /proc/meminfo
  echo "go: $(go version)"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "uptime: $(uptime)"
} >"$out/machine.txt"

# 1. Creates against the ceiling, by concurrency.
for c in 1 4 16 64 256; do
  run "welcomekit-c$c" --dialect welcomekit --concurrency "$c" "${common[@]}"
done
run flatchr-c64 --dialect flatchr --concurrency 64 "${common[@]}"
run flatchr-5MiB-c8 --dialect flatchr --resume-size 5242880 --concurrency 8 --debug "${common[@]}"
run welcomekit-c64-debug --dialect welcomekit --concurrency 64 --debug --cpuprofile "$out/welcomekit-c64.prof" "${common[@]}"

# 2. Database size: generated once, copied for every run that writes.
for n in 10000 100000 1000000; do
  if [ ! -s "$db/$n/intake.db" ]; then
    log "generating $n candidates into $db/$n"
    "$bin" generate --data "$db/$n" --candidates "$n" --jobs 1 --token "$token" >"$out/generate-$n.txt" 2>&1
  fi
  rm -rf "$out/copy"
  cp -rL "$db/$n" "$out/copy"
  run "welcomekit-c64-db$n" --dialect welcomekit --concurrency 64 --data "$out/copy" --world "$out/copy/world.json" --token "$token" "${common[@]}"
  rm -rf "$out/copy"
  for c in 1 16; do
    run "list-c$c-db$n" --op list --concurrency "$c" --data "$db/$n" --world "$db/$n/world.json" --token "$token" "${common[@]}"
  done
done
run list-c1-db1000000-profile --op list --concurrency 1 --data "$db/1000000" --world "$db/1000000/world.json" --token "$token" \
  --cpuprofile "$out/list-db1000000.prof" --duration "$duration" --warmup "$warmup"

# 3. Start-up and idle RSS with the largest database, five starts.
for i in 1 2 3 4 5; do
  run "startup-db1000000-$i" --op list --concurrency 1 --data "$db/1000000" --world "$db/1000000/world.json" --token "$token" \
    --duration 1s --warmup 0s
done

# 4. Prism, in the same run as intake and the ceiling.
if [ -z "${SKIP_PRISM:-}" ]; then
  for d in welcomekit flatchr; do
    log "prism-$d"
    echo "# uptime: $(uptime)" >"$out/prism-$d.txt"
    internal/tooling/bench/prism.sh --dialect "$d" --concurrency 64 "${common[@]}" >>"$out/prism-$d.txt" 2>"$out/prism-$d.err"
    tail -n1 "$out/prism-$d.txt" >&2
  done
fi

echo "uptime after: $(uptime)" >>"$out/machine.txt"
log "done: $out"
