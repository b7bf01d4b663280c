#!/usr/bin/env bash
# One machine against Spark: the same corpus through `hashi glossary` and
# through integrations/spark/glossary.py in Spark local mode, with wall time,
# CPU time and peak memory (the sum over the whole process tree: JVM, Python
# workers and hashi processes) of both, and Spark's overhead.
#
# Usage: benchmarks/spark.sh [--mb N] [--master M] [--partitions "P1 P2"]
#   --mb N          corpus size in MB (10^6 bytes), default 50
#   --master M      Spark master, default local[2]
#   --partitions L  partition counts to run the job with, default "4 16"
# The corpus is a directory of article-sized files: every file of ../shared/corpora
# and corpora/ copied round-robin until the size is reached (as glossary.sh).
# Environment: HASHI_BIN (skip the build), HASHI_SHARED (default <repo>/../shared),
# HASHI_EDICT_INDEX (default: none, so that runs compare). Needs spark-submit
# (pip install pyspark) and Java 17.
# The Spark job's output is compared with hashi's (cmp); the per-partition figures
# it writes (--stats) are printed for extrapolation to bigger corpora.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
mb=50 master='local[2]' partitions="4 16"
while (($#)); do
  case $1 in
    --mb) mb=${2:?}; shift 2 ;;
    --master) master=${2:?}; shift 2 ;;
    --partitions) partitions=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "spark.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
export HASHI_BIN
export HASHI_EDICT_INDEX=${HASHI_EDICT_INDEX:-/nonexistent/bench.idx}
command -v spark-submit >/dev/null || { echo "spark.sh: spark-submit not found (pip install pyspark)" >&2; exit 1; }
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
make_corpus "$tmp/corpus" $((mb * 1000000))
make_corpus "$tmp/tiny" 20000
bytes=$(du -sb "$tmp/corpus" | cut -f1)
files=$(ls "$tmp/corpus" | wc -l)

# Runs a command once; prints "wall_s cpu_s peak_tree_MB peak_process_MB". CPU time
# is summed over every process seen in the tree (sampled every 50 ms from /proc), since
# Spark does not wait for all of its Python workers, whose time would then be lost.
measure() {
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
cpu = {}
def sample(root):
    kids, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(pid)
        kids.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = (int(fields[21]) * page, (int(fields[11]) + int(fields[12])) / tick, fields[19])
    total, biggest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        if pid in rss:
            r, c, started = rss[pid]
            total += r
            biggest = max(biggest, r)
            cpu[(pid, started)] = max(cpu.get((pid, started), 0), c)
        todo += kids.get(pid, [])
    return total, biggest
start = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open(os.environ.get("LOG", "/dev/null"), "w"))
peak = biggest = 0
while p.poll() is None:
    t, b = sample(p.pid)
    peak, biggest = max(peak, t), max(biggest, b)
    time.sleep(0.05)
wall = time.perf_counter() - start
if p.returncode != 0:
    sys.exit(f"failed ({p.returncode}): {' '.join(sys.argv[1:])}")
print(f"{wall:.2f} {sum(cpu.values()):.2f} {peak / 1e6:.0f} {biggest / 1e6:.0f}")
PY
}

submit=(spark-submit --master "$master" --conf spark.ui.enabled=false "$repo/integrations/spark/glossary.py")
threads=$(python3 -c "import re,sys; m=re.match(r'local\[(\d+)', sys.argv[1]); print(m.group(1) if m else '')" "$master")

echo "corpus: $(echo "$bytes / 1000000" | bc -l | xargs printf '%.1f') MB, $files files; master $master; $(nproc) cores; hashi $("$HASHI_BIN" --version)"
printf '%-44s %8s %8s %8s %10s %10s\n' run wall_s cpu_s MB/s peak_MB max_proc_MB
read -r w c p b < <(measure "$HASHI_BIN" glossary --quiet ${threads:+--threads "$threads"} -o "$tmp/one.csv" "$tmp/corpus")
one=$w
printf '%-44s %8.2f %8.2f %8.2f %10d %10d\n' "hashi glossary (one machine, ${threads:-all} threads)" "$w" "$c" "$(echo "$bytes / 1000000 / $w" | bc -l)" "$p" "$b"
read -r w c p b < <(measure "${submit[@]}" "$tmp/tiny" "$tmp/tiny.csv" --partitions 2)
fixed=$w
printf '%-44s %8.2f %8.2f %8s %10d %10d\n' "Spark job on 20 kB (fixed cost)" "$w" "$c" "-" "$p" "$b"
for n in $partitions; do
  read -r w c p b < <(LOG="$tmp/spark-$n.log" measure "${submit[@]}" "$tmp/corpus" "$tmp/spark-$n.csv" --partitions "$n" --stats "$tmp/stats-$n.json")
  same=$(cmp -s "$tmp/one.csv" "$tmp/spark-$n.csv" && echo "same bytes as one machine" || echo "DIFFERENT from one machine")
  printf '%-44s %8.2f %8.2f %8.2f %10d %10d  %s\n' "Spark glossary.py, $n partitions" "$w" "$c" "$(echo "$bytes / 1000000 / $w" | bc -l)" "$p" "$b" "$same"
  printf '  overhead: %+.2f s (%.2fx one machine)\n' "$(echo "$w - $one" | bc -l)" "$(echo "$w / $one" | bc -l)"
  python3 - "$tmp/stats-$n.json" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
parts = [p for p in s["partitions"] if p["bytes"]]
mbps = [p["bytes"] / 1e6 / p["hashi_seconds"] for p in parts]
over = [p["task_seconds"] - p["hashi_seconds"] for p in parts]
sec = s["seconds"]
print(f"  phases: setup+ordering {sec['setup_and_order']:.2f} s, partial glossaries {sec['partials']:.2f} s, "
      f"merge ({s['merge_levels']} level(s)) {sec['merge']:.2f} s, job total {sec['total']:.2f} s")
print(f"  per partition: {statistics.mean(p['bytes'] for p in parts) / 1e6:.1f} MB, hashi {statistics.median(mbps):.2f} MB/s "
      f"(median; {min(mbps):.2f}-{max(mbps):.2f}) on one thread, task overhead besides hashi {statistics.median(over):.2f} s")
PY
done
echo "fixed cost (Spark start-up, listing, ordering, one merge, on 20 kB): ${fixed} s"
