#!/usr/bin/env bash
# Throughput of `hashi annotate` against `hashi tokenize` on the same corpus, in
# the same run: the cost of linking on top of segmentation.
#
# Usage: benchmarks/annotate.sh [--mb N] [--runs N]
#   --mb N     corpus size in MB (10^6 bytes), default 6
#   --runs N   interleaved rounds (each runs the four commands once), default 5
# Environment: HASHI_BIN (skip the build), HASHI_SHARED (default <repo>/../shared).
# Target (dictionaries issue): linking costs less than tokenizing, i.e.
# annotate time < 2 x tokenize time (ratio annotate/tokenize < 2.0).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
mb=6 runs=5
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

# Runs the four commands interleaved, $runs rounds, so that the machine's drift
# hits them alike; reports the median wall and CPU seconds of each and the median
# of the per-round ratios (annotate / tokenize in the same round).
python3 - "$runs" "$bytes" "$HASHI_BIN" "$corpus" <<'PY'
import resource, statistics, subprocess, sys, time
runs, size, hashi, corpus = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
commands = [
    ("hashi tokenize --format text", [hashi, "tokenize", "--format", "text", corpus]),
    ("hashi annotate --format jsonl", [hashi, "annotate", "--format", "jsonl", corpus]),
    ("hashi tokenize --threads 1 --format text", [hashi, "tokenize", "--threads", "1", "--format", "text", corpus]),
    ("hashi annotate --threads 1 --format jsonl", [hashi, "annotate", "--threads", "1", "--format", "jsonl", corpus]),
]
wall = {name: [] for name, _ in commands}
cpu = {name: [] for name, _ in commands}
for _ in range(runs):
    for name, cmd in commands:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        wall[name].append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
mentions = subprocess.run([hashi, "annotate", "--format", "jsonl", corpus], capture_output=True).stdout.count(b"\n")
print(f"corpus: {size / 1e6:.2f} MB ({size} bytes), {runs} interleaved rounds, whole process, medians")
print(f"{'command':42s} {'wall_s':>8s} {'MB/s':>8s} {'cpu_s':>8s}")
for name, _ in commands:
    w, c = statistics.median(wall[name]), statistics.median(cpu[name])
    print(f"{name:42s} {w:8.3f} {size / 1e6 / w:8.2f} {c:8.3f}")
print(f"mentions: {mentions}")
def ratios(a, b):
    rw = [x / y for x, y in zip(wall[a], wall[b])]
    rc = [x / y for x, y in zip(cpu[a], cpu[b])]
    return statistics.median(rw), min(rw), max(rw), statistics.median(rc)
for label, a, b in (("one thread each", commands[3][0], commands[2][0]), ("all cores", commands[1][0], commands[0][0])):
    m, lo, hi, c = ratios(a, b)
    print(f"annotate/tokenize, {label + ':':17s} wall {m:.2f} (rounds {lo:.2f}-{hi:.2f}), cpu {c:.2f}")
print("target < 2.0 (linking costs less than tokenizing)")
PY
