#!/usr/bin/env bash
# Speed of `hashi lookup`: cold start of one query as a whole process, next to
# grep over the UTF-8 ENAMDICT names file (what a user would do without hashi),
# in the same run; then --batch throughput on a mixed query file.
#
# Usage: benchmarks/lookup.sh [--runs N] [--queries N]
#   --runs N      timed runs per cold-start command, best reported, default 20
#   --queries N   lines of the batch query file, default 100000
# The query file is generated from dictionaries/*.tsv: exact Japanese forms,
# variants (half-width katakana, ウエ/ウェ, a final ー dropped or added), English
# names in various cases and spacing, and misses (made-up katakana and Latin
# words, each distinct). Batch runs are best of 5.
# Environment: HASHI_BIN (skip the build), HASHI_EDICT_INDEX (the EDICT index
# to load; default ~/.local/share/hashi/edict.idx; rows "with index" are
# skipped when it does not exist: build it with 'hashi dict import'),
# ENAMDICT (default /usr/share/edict/enamdict).
# Targets (lookup issue): hashi's cold start not slower than grep, with and
# without the index; --batch at least 200,000 queries a second.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=20 queries=100000
while (($#)); do
  case $1 in
    --runs) runs=${2:?}; shift 2 ;;
    --queries) queries=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lookup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
index=${HASHI_EDICT_INDEX:-${XDG_DATA_HOME:-$HOME/.local/share}/hashi/edict.idx}
enamdict=${ENAMDICT:-/usr/share/edict/enamdict}
unset HASHI_DICT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

iconv -f EUC-JP -t UTF-8 "$enamdict" > "$tmp/enamdict.utf8"

best() {  # prints the best wall-clock seconds of "$@" over $runs runs (stdin from $stdin_file)
  python3 - "$runs" "${stdin_file:-/dev/null}" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); stdin = sys.argv[2]; cmd = sys.argv[3:]
best = None
for _ in range(runs):
    with open(stdin, 'rb') as f:
        start = time.perf_counter()
        done = subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}")
    best = seconds if best is None else min(best, seconds)
print(f"{best:.4f}")
PY
}

echo "cold start: one query, best of $runs runs" >&2
printf '%9s  %s\n' ms command
g=$(best grep '^ファーウェイ ' "$tmp/enamdict.utf8")
printf '%9.1f  %s\n' "$(echo "$g * 1000" | bc -l)" "grep '^ファーウェイ ' enamdict.utf8 ($(du -m "$tmp/enamdict.utf8" | cut -f1) MB)"
h=$(HASHI_EDICT_INDEX=/nonexistent/bench.idx best "$HASHI_BIN" lookup ファーウェイ)
printf '%9.1f  %s\n' "$(echo "$h * 1000" | bc -l)" "hashi lookup ファーウェイ (no EDICT index)"
verdicts=("no index: hashi/grep $(printf '%.2f' "$(echo "$h / $g" | bc -l)")")
if [[ -f $index ]]; then
  hi=$(HASHI_EDICT_INDEX=$index best "$HASHI_BIN" lookup ファーウェイ)
  printf '%9.1f  %s\n' "$(echo "$hi * 1000" | bc -l)" "hashi lookup ファーウェイ (EDICT index loaded)"
  # A word only EDICT knows: the index is searched, not just opened.
  he=$(HASHI_EDICT_INDEX=$index best "$HASHI_BIN" lookup ドライブ)
  printf '%9.1f  %s\n' "$(echo "$he * 1000" | bc -l)" "hashi lookup ドライブ (answered by the EDICT index)"
  verdicts+=("with index: hashi/grep $(printf '%.2f' "$(echo "$hi / $g" | bc -l)")")
else
  echo "(no EDICT index at $index: rows with the index skipped)" >&2
fi
hv=$(HASHI_EDICT_INDEX=/nonexistent/bench.idx best "$HASHI_BIN" --version)
printf '%9.1f  %s\n' "$(echo "$hv * 1000" | bc -l)" "hashi --version (process floor)"

python3 - "$repo/dictionaries" "$queries" > "$tmp/queries.txt" <<'PY'
import glob, random, sys, unicodedata
random.seed(7)
ja, en = [], []
for path in sorted(glob.glob(sys.argv[1] + "/*.tsv")):
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) != 8 or f[0] == "id" or line.startswith("#"):
            continue
        en.append(f[1].strip())
        en += [a.strip() for a in f[4].split("|") if a.strip()]
        ja += [j.strip() for j in f[3].split("|") if j.strip()]
# Half-width katakana: the inverse of NFKC.
half = {}
for cp in range(0xFF66, 0xFF9E):
    half[unicodedata.normalize("NFKC", chr(cp))] = chr(cp)
for base in list(half):
    for mark in ("\uFF9E", "\uFF9F"):
        composed = unicodedata.normalize("NFKC", half[base] + mark)
        if len(composed) == 1:
            half[composed] = half[base] + mark
half["ー"] = "\uFF70"
def variant(s):
    kind = random.randrange(3)
    if kind == 0 and all(c in half for c in s):
        return "".join(half[c] for c in s)
    if kind == 1 and "ウェ" in s:
        return s.replace("ウェ", "ウエ")
    if kind == 1 and "ウエ" in s:
        return s.replace("ウエ", "ウェ")
    return s[:-1] if s.endswith("ー") else s + "ー"
katakana = [chr(c) for c in range(0x30A2, 0x30F3)]
def miss_ja():
    return "".join(random.choice(katakana) for _ in range(random.randint(3, 8)))
def miss_en():
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(4, 12)))
kana_forms = [s for s in ja if all("\u30A1" <= c <= "\u30FC" for c in s)]
n = int(sys.argv[2])
out = []
for _ in range(n):
    r = random.random()
    if r < 0.40:
        out.append(random.choice(ja))
    elif r < 0.60:
        out.append(variant(random.choice(kana_forms)))
    elif r < 0.85:
        e = random.choice(en)
        out.append(random.choice([e, e.lower(), e.upper(), e.replace(" ", "")]))
    elif r < 0.93:
        out.append(miss_ja())
    else:
        out.append(miss_en())
sys.stdout.write("\n".join(out) + "\n")
PY
lines=$(wc -l < "$tmp/queries.txt")
distinct=$(sort -u "$tmp/queries.txt" | wc -l)
echo >&2
echo "batch: $lines queries ($distinct distinct), best of 5 runs" >&2
printf '%-52s %9s %12s %10s %12s\n' command seconds queries/s found% 'x cold start'
runs=5
batch_row() {  # label, index path
  local s found
  s=$(HASHI_EDICT_INDEX=$2 stdin_file="$tmp/queries.txt" best "$HASHI_BIN" lookup --batch)
  HASHI_EDICT_INDEX=$2 "$HASHI_BIN" lookup --batch < "$tmp/queries.txt" > "$tmp/out.tsv" 2>/dev/null || true
  found=$(awk -F'\t' '$2 != "" { f++ } END { printf "%.1f", 100 * f / NR }' "$tmp/out.tsv")
  printf '%-52s %9.3f %12.0f %10s %12.1f\n' "$1" "$s" "$(echo "$lines / $s" | bc -l)" "$found" "$(echo "$s / $h" | bc -l)"
  echo "$(echo "$lines / $s" | bc -l)"  >> "$tmp/rates"
}
batch_row "hashi lookup --batch (no EDICT index)" /nonexistent/bench.idx
[[ -f $index ]] && batch_row "hashi lookup --batch (EDICT index loaded)" "$index"
echo
echo "cold start: ${verdicts[*]} (target: at most 1.00)"
echo "batch: per-query cost is $(printf '%.0f' "$(echo "($h * $(head -1 "$tmp/rates")) " | bc -l)")x below a cold start; 'x cold start' is the whole batch's time in cold starts"
