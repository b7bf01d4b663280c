#!/usr/bin/env bash
# Throughput of `hashi annotate` against `hashi tokenize` on the same corpus, in
# the same run: the cost of linking on top of segmentation.
#
# Usage: benchmarks/annotate.sh [--mb N] [--runs N]
#   --mb N     corpus size in MB (10^6 bytes), default 6
#   --runs N   timed runs per command, best reported, default 3
# Environment: HASHI_BIN (skip the build), HASHI_SHARED (default <repo>/../shared).
# Target (dictionaries issue): linking costs less than tokenizing, i.e.
# annotate time < 2 x tokenize time (ratio annotate/tokenize < 2.0).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
mb=6 runs=3
while (($#)); do
  case $1 in
    --mb) mb=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "annotate.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/corpus.txt
target=$((mb * 1000000))
sources=("$shared"/corpora/*.txt "$repo"/corpora/*.txt)
: > "$corpus"
while (( $(stat -c %s "$corpus") < target )); do
  for f in "${sources[@]}"; do cat "$f" >> "$corpus"; printf '\n' >> "$corpus"; done
done
bytes=$(stat -c %s "$corpus")

best() {  # "wall cpu": the best wall seconds and best CPU seconds (user+sys) over $runs runs of "$@"
  python3 - "$runs" "$@" <<'PY'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
wall = cpu = None
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    w = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = w if wall is None else min(wall, w)
    cpu = c if cpu is None else min(cpu, c)
print(f"{wall:.3f} {cpu:.3f}")
PY
}

read -r tok tok_cpu < <(best "$HASHI_BIN" tokenize --format text "$corpus")
read -r ann ann_cpu < <(best "$HASHI_BIN" annotate --format jsonl "$corpus")
read -r tok1 tok1_cpu < <(best "$HASHI_BIN" tokenize --threads 1 --format text "$corpus")
read -r ann1 ann1_cpu < <(best "$HASHI_BIN" annotate --threads 1 --format jsonl "$corpus")
mentions=$("$HASHI_BIN" annotate --format jsonl "$corpus" | wc -l)
printf 'corpus: %.2f MB (%d bytes), best of %d runs, whole process, %d cores\n' "$(echo "$bytes / 1000000" | bc -l)" "$bytes" "$runs" "$(nproc)"
printf '%-42s %8s %8s %8s\n' command wall_s MB/s cpu_s
row() { printf '%-42s %8.3f %8.2f %8.3f\n' "$1" "$2" "$(echo "$bytes / 1000000 / $2" | bc -l)" "$3"; }
row "hashi tokenize --format text" "$tok" "$tok_cpu"
row "hashi annotate --format jsonl" "$ann" "$ann_cpu"
row "hashi tokenize --threads 1 --format text" "$tok1" "$tok1_cpu"
row "hashi annotate --threads 1 --format jsonl" "$ann1" "$ann1_cpu"
printf 'mentions: %d\n' "$mentions"
printf 'annotate/tokenize, one thread each: wall %.2f, cpu %.2f\n' "$(echo "$ann1 / $tok1" | bc -l)" "$(echo "$ann1_cpu / $tok1_cpu" | bc -l)"
printf 'annotate/tokenize, all cores:       wall %.2f, cpu %.2f\n' "$(echo "$ann / $tok" | bc -l)" "$(echo "$ann_cpu / $tok_cpu" | bc -l)"
printf 'target < 2.0 (linking costs less than tokenizing)\n'
