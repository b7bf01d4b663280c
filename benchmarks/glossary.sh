#!/usr/bin/env bash
# Throughput, scaling and peak memory of `hashi glossary` on a many-document
# corpus, next to `hashi tokenize` on the same input, in the same run.
#
# Usage: benchmarks/glossary.sh [--mb N] [--runs N]
#   --mb N     size of the large corpus in MB (10^6 bytes), default 50; the small
#              one is ten times smaller
#   --runs N   timed runs per command, best reported, default 1
# The corpora are directories of article-sized files: every file of
# ../shared/corpora and corpora/ copied round-robin until the size is reached.
# Environment: HASHI_BIN (skip the build), HASHI_SHARED (default <repo>/../shared),
# HASHI_EDICT_INDEX (default: none, so that runs compare; set it to include EDICT).
# Targets (glossary issue): time scales within 10% of linear from the small to the
# large corpus (ratio 0.9-1.1), peak memory under 200 MB on the large one.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
mb=50 runs=1
while (($#)); do
  case $1 in
    --mb) mb=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "glossary.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
export HASHI_EDICT_INDEX=${HASHI_EDICT_INDEX:-/nonexistent/bench.idx}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make_corpus() {  # dir bytes
  local dir=$1 target=$2 total=0 n=0
  mkdir -p "$dir"
  local sources=("$shared"/corpora/*.txt "$repo"/corpora/*.txt)
  while ((total < target)); do
    for f in "${sources[@]}"; do
      n=$((n + 1))
      cp "$f" "$dir/$(printf '%06d' "$n").txt"
      total=$((total + $(stat -c %s "$f")))
      ((total >= target)) && break
    done
  done
}
make_corpus "$tmp/large" $((mb * 1000000))
make_corpus "$tmp/small" $((mb * 100000))

measure() {  # prints "seconds peak_kb" of the best run of "$@"
  python3 - "$runs" "$@" <<'PY'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
best = None
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    best = seconds if best is None else min(best, seconds)
print(f"{best:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

printf '%-34s %9s %9s %8s %10s %9s\n' command corpus_MB files seconds MB/s peak_MB
declare -A secs
for size in small large; do
  bytes=$(du -sb "$tmp/$size" | cut -f1)
  files=$(ls "$tmp/$size" | wc -l)
  for cmd in glossary tokenize; do
    if [[ $cmd == glossary ]]; then
      read -r s kb < <(measure "$HASHI_BIN" glossary --quiet -o "$tmp/out.csv" "$tmp/$size")
    else
      read -r s kb < <(measure "$HASHI_BIN" tokenize -o "$tmp/out.txt" "$tmp/$size")
    fi
    secs[$cmd-$size]=$s
    printf '%-34s %9.1f %9d %8.2f %10.2f %9.0f\n' "hashi $cmd ($size)" "$(echo "$bytes / 1000000" | bc -l)" "$files" "$s" \
      "$(echo "$bytes / 1000000 / $s" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
  done
done
: > "$tmp/empty.txt"
read -r startup _ < <(measure "$HASHI_BIN" glossary --quiet -o "$tmp/empty.csv" "$tmp/empty.txt")
printf 'startup (empty input): %.3f s\n' "$startup"
rows=$(($(wc -l < "$tmp/out.csv") - 1))
printf 'glossary rows (large corpus): %d\n' "$rows"
printf 'scaling (large time / small time / 10): glossary %.2f, tokenize %.2f (target: glossary within 0.9-1.1)\n' \
  "$(echo "${secs[glossary-large]} / ${secs[glossary-small]} / 10" | bc -l)" \
  "$(echo "${secs[tokenize-large]} / ${secs[tokenize-small]} / 10" | bc -l)"
printf 'scaling without the startup time: glossary %.2f\n' \
  "$(echo "(${secs[glossary-large]} - $startup) / (${secs[glossary-small]} - $startup) / 10" | bc -l)"
printf 'glossary/tokenize time ratio (large): %.2f\n' "$(echo "${secs[glossary-large]} / ${secs[tokenize-large]}" | bc -l)"
