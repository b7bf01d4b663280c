#!/usr/bin/env bash
# Throughput and peak memory of `hashi tokenize` against its peers, whole process.
#
# Usage: benchmarks/tokenize.sh [--mb N] [--runs N] [--scale N] [--no-hashi] [--keep]
#   --mb N      corpus size in MB (10^6 bytes), default 6 (at least 5 is advised)
#   --runs N    timed runs per tool; the best (fastest) is reported, default 3
#   --scale N   memory-scaling check: also run hashi once on a corpus N times as
#               large and compare peak RSS, default 4 (0 turns it off)
#   --no-hashi  measure only the peers (for testing the script itself)
#   --keep      keep the temporary corpus directory and print its path
# Environment:
#   HASHI_BIN        use this hashi binary and skip `swift build`
#   HASHI_SHARED     the shared folder (default: <repo>/../shared)
#   BENCH_BUILD_DIR  where the C peer is compiled (default: <repo>/.build-bench)
#   MECAB_DIC        MeCab dictionary dir (default: /var/lib/mecab/dic/ipadic-utf8)
#
# The corpus repeats ../shared/corpora/*.txt, then the repo's corpora/*.txt, in
# order, whole files at a time, until it reaches the size. Tools measured:
#   hashi     hashi tokenize --format text CORPUS > /dev/null
#   raw-icu   benchmarks/icu_wordbreak.c (ICU word break, locale ja) CORPUS > /dev/null
#   mecab     mecab -d /var/lib/mecab/dic/ipadic-utf8 -Owakati CORPUS > /dev/null (if installed)
# Seconds are wall-clock (bash `time`) of the fastest run, with its user+sys CPU seconds; peak
# RSS comes from GNU time (`/usr/bin/time -f %M`, apt-get install -y time). The table goes to
# stdout; notes and progress to stderr.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
build_dir=${BENCH_BUILD_DIR:-$repo/.build-bench}
mecab_dic=${MECAB_DIC:-/var/lib/mecab/dic/ipadic-utf8}

mb=6 runs=3 scale=4 want_hashi=1 keep=0
while (($#)); do
  case $1 in
    --mb) mb=${2:?--mb needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --scale) scale=${2:?--scale needs a number}; shift 2 ;;
    --no-hashi) want_hashi=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "tokenize.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $mb =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "tokenize.sh: --mb must be a number" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "tokenize.sh: --runs must be a positive integer" >&2; exit 2; }
[[ $scale =~ ^[0-9]+$ ]] || { echo "tokenize.sh: --scale must be a whole number" >&2; exit 2; }

note() { printf 'note: %s\n' "$*" >&2; }
fail() { printf 'tokenize.sh: error: %s\n' "$*" >&2; }
die() { fail "$@"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hashi-bench.XXXXXX")
if ((keep)); then
  trap 'echo "kept: $tmp" >&2' EXIT
else
  trap 'rm -rf "$tmp"' EXIT
fi

gnu_time=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  gnu_time=/usr/bin/time
else
  note "GNU time not found: peak RSS will show n/a (apt-get install -y time)"
fi

# ---------------------------------------------------------------- corpus
sources=()
for f in "$shared"/corpora/*.txt "$repo"/corpora/*.txt; do
  [[ -f $f && -s $f ]] && sources+=("$f")
done
((${#sources[@]})) || die "no corpus files in $shared/corpora/ or $repo/corpora/"

# One cycle = every source once, in order, each ending in a newline.
cycle=$tmp/cycle.txt
: >"$cycle"
for f in "${sources[@]}"; do
  cat "$f" >>"$cycle"
  [[ $(tail -c1 "$f" | od -An -c | tr -d ' ') == '\n' ]] || echo >>"$cycle"
done

size_of() { stat -c %s "$1"; }

# make_corpus BYTES OUT: whole cycles until OUT has at least BYTES bytes.
make_corpus() {
  local want=$1 out=$2 block=$tmp/block.txt
  local cyc
  cyc=$(size_of "$cycle")
  # A block of 2^k cycles of about 1 MB makes large corpora quick to build.
  cp "$cycle" "$block"
  while (($(size_of "$block") * 2 <= 1000000)); do
    cat "$block" "$block" >"$block.2" && mv "$block.2" "$block"
  done
  local bsz have=0
  bsz=$(size_of "$block")
  : >"$out"
  while ((have + bsz <= want)); do cat "$block" >>"$out"; have=$((have + bsz)); done
  while ((have < want)); do cat "$cycle" >>"$out"; have=$((have + cyc)); done
  rm -f "$block"
}

bytes=$(awk -v m="$mb" 'BEGIN { printf "%d", m * 1000000 }')
((bytes > 0)) || die "--mb must be above 0"
corpus=$tmp/corpus.txt
make_corpus "$bytes" "$corpus"
corpus_bytes=$(size_of "$corpus")
corpus_lines=$(wc -l <"$corpus")

# ---------------------------------------------------------------- tools
build_icu_peer() {
  local src=$repo/benchmarks/icu_wordbreak.c bin=$build_dir/icu_wordbreak
  if [[ ! -x $bin || $src -nt $bin ]]; then
    command -v gcc >/dev/null || { fail "gcc not found (apt-get install -y gcc)"; return 1; }
    pkg-config --exists icu-uc icu-i18n || { fail "ICU dev files not found (apt-get install -y libicu-dev pkg-config)"; return 1; }
    mkdir -p "$build_dir"
    # shellcheck disable=SC2046
    gcc -O2 -Wall -o "$bin.tmp" "$src" $(pkg-config --cflags --libs icu-uc icu-i18n) || { fail "building the ICU peer failed"; return 1; }
    mv "$bin.tmp" "$bin"
  fi
  printf '%s\n' "$bin"
}

hashi_status=0
hashi_bin=
find_hashi() {
  if [[ -n ${HASHI_BIN:-} ]]; then
    [[ -x $HASHI_BIN && ! -d $HASHI_BIN ]] || { fail "HASHI_BIN=$HASHI_BIN is not an executable file"; return 1; }
    hashi_bin=$HASHI_BIN
    return 0
  fi
  command -v swift >/dev/null || { fail "swift not found and HASHI_BIN not set: cannot build hashi"; return 1; }
  echo "building hashi: swift build -c release --product hashi" >&2
  (cd "$repo" && swift build -c release --product hashi >&2) || { fail "swift build -c release --product hashi failed"; return 1; }
  local dir
  dir=$(cd "$repo" && swift build -c release --show-bin-path | tail -n1) || { fail "swift build --show-bin-path failed"; return 1; }
  [[ -x $dir/hashi ]] || { fail "no hashi binary at $dir/hashi after the build"; return 1; }
  hashi_bin=$dir/hashi
}

# measure NAME OUTFILE CMD...: best-of-$runs wall seconds, the CPU seconds (user+sys)
# of that run and the max peak RSS (KB) over all runs into the globals best_s, best_cpu
# and peak_kb; returns 1 (with a message) if CMD fails.
TIMEFORMAT='%3R %3U %3S'
measure() {
  local name=$1 out=$2; shift 2
  local r t cpu rss
  best_s='' best_cpu='' peak_kb=''
  for ((r = 1; r <= runs; r++)); do
    if [[ -n $gnu_time ]]; then
      if ! { time "$gnu_time" -f %M -o "$tmp/rss" "$@" >"$out" 2>"$tmp/err"; } 2>"$tmp/t"; then
        fail "$name failed: $*"; sed 's/^/  | /' "$tmp/err" | head -20 >&2; return 1
      fi
      rss=$(tail -n1 "$tmp/rss")
    else
      if ! { time "$@" >"$out" 2>"$tmp/err"; } 2>"$tmp/t"; then
        fail "$name failed: $*"; sed 's/^/  | /' "$tmp/err" | head -20 >&2; return 1
      fi
      rss=
    fi
    read -r t cpu < <(tail -n1 "$tmp/t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }')
    if [[ -z $best_s ]] || awk -v a="$t" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$t best_cpu=$cpu; fi
    if [[ -n $rss ]] && [[ -z $peak_kb || $rss -gt $peak_kb ]]; then peak_kb=$rss; fi
    printf '  %-8s run %d/%d: %ss wall, %ss cpu%s\n' "$name" "$r" "$runs" "$t" "$cpu" "${rss:+, ${rss} KB}" >&2
  done
}

# check_lines NAME CMD...: one untimed run; the output must have one line per corpus line.
check_lines() {
  local name=$1; shift
  local n
  n=$("$@" 2>/dev/null | wc -l) || true
  if [[ $n != "$corpus_lines" ]]; then
    note "$name printed $n lines for $corpus_lines input lines (expected one per line)"
  fi
}

tools=() secs=() cpus=() rss_kb=()
record() { tools+=("$1"); secs+=("$best_s"); cpus+=("$best_cpu"); rss_kb+=("$peak_kb"); }

echo "corpus: $corpus_bytes bytes, $corpus_lines lines, from ${#sources[@]} file(s); best of $runs runs" >&2

if ((want_hashi)); then
  if find_hashi; then
    check_lines hashi "$hashi_bin" tokenize --format text "$corpus"
    if measure hashi /dev/null "$hashi_bin" tokenize --format text "$corpus"; then
      record hashi
    else
      hashi_status=1
    fi
  else
    hashi_status=1
  fi
  ((hashi_status == 0)) || { tools+=("hashi FAILED"); secs+=(""); cpus+=(""); rss_kb+=(""); }
fi

if icu_bin=$(build_icu_peer); then
  check_lines raw-icu "$icu_bin" "$corpus"
  measure raw-icu /dev/null "$icu_bin" "$corpus" && record "raw-icu-$(pkg-config --modversion icu-uc)"
else
  note "raw ICU peer skipped"
fi

if command -v mecab >/dev/null && [[ -d $mecab_dic ]]; then
  check_lines mecab mecab -d "$mecab_dic" -Owakati "$corpus"
  measure mecab /dev/null mecab -d "$mecab_dic" -Owakati "$corpus" && record mecab-ipadic
else
  note "MeCab+IPAdic skipped: mecab or $mecab_dic is missing (apt-get install -y mecab mecab-ipadic-utf8)"
fi

# ---------------------------------------------------------------- report
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "== hashi tokenize benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores${cpu:+, $cpu} =="
echo "corpus: $(awk -v b="$corpus_bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB, $corpus_lines lines; best of $runs runs; MB = 10^6 bytes"
hashi_mbps=
for i in "${!tools[@]}"; do
  if [[ ${tools[$i]} == hashi ]]; then
    hashi_mbps=$(awk -v b="$corpus_bytes" -v s="${secs[$i]}" 'BEGIN { if (s > 0) printf "%.6f", b / 1e6 / s }')
  fi
done
printf '%-16s %7s %8s %7s %7s %12s %11s\n' tool MB seconds MB/s "CPU s" "peak RSS MB" "hashi/peer"
for i in "${!tools[@]}"; do
  if [[ -z ${secs[$i]} ]]; then
    printf '%-16s %7s %8s %7s %7s %12s %11s\n' "${tools[$i]}" - - - - - -
    continue
  fi
  awk -v name="${tools[$i]}" -v b="$corpus_bytes" -v s="${secs[$i]}" -v kb="${rss_kb[$i]}" -v c="${cpus[$i]}" -v h="$hashi_mbps" 'BEGIN {
    mbps = (s > 0) ? b / 1e6 / s : 0
    rss = (kb == "") ? "n/a" : sprintf("%.1f", kb / 1024)
    ratio = (name == "hashi") ? "1.00" : ((h == "" || mbps == 0) ? "n/a" : sprintf("%.2f", h / mbps))
    printf "%-16s %7.2f %8.3f %7.2f %7.3f %12s %11s\n", name, b / 1e6, s, mbps, c, rss, ratio
  }'
done
echo "(seconds = wall clock of the fastest run, CPU s = its user+sys; hashi/peer = hashi MB/s / peer MB/s,"
echo " above 1 means hashi is faster; peak RSS MB = KiB/1024, max over the runs)"

if ((want_hashi && hashi_status == 0 && scale > 0)); then
  hashi_rss=
  for i in "${!tools[@]}"; do [[ ${tools[$i]} == hashi ]] && hashi_rss=${rss_kb[$i]}; done
  big=$tmp/corpus-x$scale.txt
  make_corpus $((bytes * scale)) "$big"
  big_bytes=$(size_of "$big")
  echo >&2 "memory scaling: hashi on ${scale}x corpus ($big_bytes bytes), 1 run"
  ((keep)) || rm -f "$corpus"  # keep disk use down
  saved_runs=$runs; runs=1
  if measure "hashi x$scale" /dev/null "$hashi_bin" tokenize --format text "$big"; then
    echo
    echo "memory scaling (hashi streams, so peak RSS should not grow with input):"
    awk -v b1="$corpus_bytes" -v k1="$hashi_rss" -v b2="$big_bytes" -v k2="$peak_kb" -v s2="$best_s" -v x="$scale" 'BEGIN {
      printf "  %-12s %8s %13s\n", "corpus", "MB", "peak RSS MB"
      printf "  %-12s %8.2f %13s\n", "1x", b1 / 1e6, (k1 == "") ? "n/a" : sprintf("%.1f", k1 / 1024)
      printf "  %-12s %8.2f %13s   (%.2f MB/s)\n", x "x", b2 / 1e6, (k2 == "") ? "n/a" : sprintf("%.1f", k2 / 1024), (s2 > 0) ? b2 / 1e6 / s2 : 0
      if (k1 != "" && k2 != "" && k1 > 0) printf "  peak RSS ratio %sx/1x: %.2f\n", x, k2 / k1
    }'
  else
    hashi_status=1
  fi
  runs=$saved_runs
fi

if ((hashi_status)); then
  fail "the hashi part failed (see above); peer numbers are still valid"
fi
exit "$hashi_status"
