#!/usr/bin/env bash
# Speed of `hashi transliterate`: model load time and words per second.
#
# Usage: benchmarks/transliterate.sh [--words N] [--runs N]
#   --words N   how many katakana words to transliterate (default 3000): EDICT's
#               katakana loanword headwords, the first N in file order
#   --runs N    timed runs of each measurement; the best is reported (default 3)
# Environment:
#   HASHI_BIN   use this hashi binary and skip `swift build -c release`
#
# Measurements (wall clock, best of the runs, via bash's `time`):
#   load      `hashi transliterate --top 1 データ`: process start, model opening and
#             one word; compare with `hashi --version`, which loads nothing
#   batch     N words on standard input, --json --top 5: words/s and candidates/s
# Peak RSS of the batch run comes from GNU time when installed (apt-get install time).
# Needs /usr/share/edict/edict (apt-get install edict) and python3 for the word list.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
words=3000 runs=3
while (($#)); do
  case $1 in
    --words) words=${2:?--words needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "transliterate.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $words =~ ^[1-9][0-9]*$ ]] || { echo "transliterate.sh: --words must be a positive integer" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "transliterate.sh: --runs must be a positive integer" >&2; exit 2; }

if [[ -n ${HASHI_BIN:-} ]]; then
  hashi=$HASHI_BIN
else
  (cd "$repo" && swift build -c release --product hashi >&2) || { echo "transliterate.sh: error: build failed" >&2; exit 1; }
  hashi=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hashi-translit-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$words" > "$tmp/words.txt" <<'PY'
import sys, unicodedata
limit = int(sys.argv[1])
seen = set()
with open("/usr/share/edict/edict", "rb") as f:
    for line in f.read().decode("euc_jp", errors="replace").split("\n")[1:]:
        head = line.split(" /", 1)[0]
        if " " in head or not head or not all("\u30a1" <= c <= "\u30fa" or c in "ー・" for c in head):
            continue
        if head.strip("ー・") and head not in seen:
            seen.add(head)
            print(head)
            if len(seen) >= limit:
                break
PY
n=$(wc -l < "$tmp/words.txt")

# Best wall-clock seconds of `runs` runs of a command (stdin from $2, stdout dropped).
best() {
  local input=$1; shift
  local b=
  for ((r = 0; r < runs; r++)); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" < "$input" > "$tmp/out" 2>/dev/null || true
    t1=$(date +%s.%N)
    b=$(python3 -c "import sys; a=float(sys.argv[1])-float(sys.argv[2]); b=sys.argv[3]; print(min(a, float(b)) if b else a)" "$t1" "$t0" "$b")
  done
  printf '%s\n' "$b"
}

: > "$tmp/empty"
version_s=$(best "$tmp/empty" "$hashi" --version)
load_s=$(best "$tmp/empty" "$hashi" transliterate --top 1 データ)
batch_s=$(best "$tmp/words.txt" "$hashi" transliterate --json --top 5)
cands=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['candidates']) for l in open(sys.argv[1])))" "$tmp/out")
rss=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  /usr/bin/time -f %M -o "$tmp/rss" "$hashi" transliterate --json --top 5 < "$tmp/words.txt" > /dev/null 2>&1 || true
  rss="$(cat "$tmp/rss") KB"
fi
model_bytes=$(stat -c %s "$repo/dictionaries/transliteration/model.bin")

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "model: dictionaries/transliteration/model.bin, $model_bytes bytes (embedded in hashi)"
python3 - "$version_s" "$load_s" "$batch_s" "$n" "$cands" "$rss" <<'PY'
import sys
version, load, batch, n, cands, rss = sys.argv[1:]
version, load, batch, n, cands = float(version), float(load), float(batch), int(n), int(cands)
print(f"{'measurement':<34} {'value':>12}")
print(f"{'hashi --version (process only)':<34} {version * 1000:>9.1f} ms")
print(f"{'transliterate one word':<34} {load * 1000:>9.1f} ms")
print(f"{'  load + one word (difference)':<34} {(load - version) * 1000:>9.1f} ms")
print(f"{f'transliterate {n} words':<34} {batch:>10.2f} s")
print(f"{'  words/s':<34} {n / batch:>12.0f}")
print(f"{'  candidates/s (top 5)':<34} {cands / batch:>12.0f}")
if rss:
    print(f"{'  peak RSS':<34} {rss:>12}")
PY
