#!/usr/bin/env bash
# Start-up cost of hashi on one article, against `mecab -Owakati` on the same file,
# in one run (issue 12: the usual job is one article at a time).
#
# Usage: benchmarks/startup.sh [--runs N] [--article FILE] [--no-callgrind]
#   --runs N         alternating rounds; each round runs mecab, tokenize, annotate and
#                    lookup once, in that order, default 21
#   --article FILE   default: <repo>/../shared/corpora/000_3a678e2742afd61d.txt (read
#                    at run time only)
#   --no-callgrind   skip the instruction count
# Environment:
#   HASHI_BIN   use this hashi binary and skip `swift build`
#   MECAB_DIC   MeCab dictionary dir (default: /var/lib/mecab/dic/ipadic-utf8)
#
# Commands measured (output to /dev/null):
#   mecab      mecab -d MECAB_DIC -Owakati ARTICLE
#   tokenize   hashi tokenize ARTICLE            (text format)
#   annotate   hashi annotate ARTICLE            (default format)
#   lookup     hashi lookup --batch < ARTICLE    (every line a query; misses exit 1)
# Reported: the median wall-clock milliseconds over the rounds and the median of the
# per-round ratios hashi/mecab (so that drift of the machine hits both alike); peak
# RSS (`/usr/bin/time -v`, max over 3 extra runs); and the instructions executed before
# the first byte of input is read: callgrind (valgrind) on a stripped copy of the
# binary, run with empty standard input, for tokenize, annotate and lookup --batch.
# Issue 12 targets: annotate within 3x mecab, tokenize within 2x, instructions before
# the first byte below 60 million, peak RSS of annotate below 40 MB.
# Needs: apt-get install -y mecab mecab-ipadic-utf8 time valgrind binutils
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
article=$repo/../shared/corpora/000_3a678e2742afd61d.txt
mecab_dic=${MECAB_DIC:-/var/lib/mecab/dic/ipadic-utf8}
runs=21 callgrind=1
while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --article) article=${2:?--article needs a file}; shift 2 ;;
    --no-callgrind) callgrind=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "startup.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "startup.sh: --runs must be a positive integer" >&2; exit 2; }
[[ -f $article ]] || { echo "startup.sh: no article at $article" >&2; exit 1; }

if [[ -z ${HASHI_BIN:-} ]]; then
  echo "building hashi: swift build -c release --product hashi" >&2
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
[[ -x $HASHI_BIN ]] || { echo "startup.sh: $HASHI_BIN is not executable" >&2; exit 1; }

have_mecab=0
if command -v mecab >/dev/null && [[ -d $mecab_dic ]]; then
  have_mecab=1
else
  echo "startup.sh: MeCab IS ABSENT (mecab or $mecab_dic missing): no ratios." >&2
  echo "            Install it with: apt-get install -y mecab mecab-ipadic-utf8" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hashi-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

names=(mecab tokenize annotate lookup)
run_one() {
  case $1 in
    mecab) mecab -d "$mecab_dic" -Owakati "$article" >/dev/null ;;
    tokenize) "$HASHI_BIN" tokenize "$article" >/dev/null ;;
    annotate) "$HASHI_BIN" annotate "$article" >/dev/null ;;
    lookup) "$HASHI_BIN" lookup --batch <"$article" >/dev/null 2>&1 || (($? == 1)) ;;
  esac
}
now_ns() { date +%s%N; }

# Warm the page cache and check that every command works.
for name in "${names[@]}"; do
  [[ $name == mecab && $have_mecab == 0 ]] && continue
  run_one "$name" || { echo "startup.sh: $name failed" >&2; exit 1; }
done

echo "alternating rounds: $runs" >&2
for ((r = 1; r <= runs; r++)); do
  for name in "${names[@]}"; do
    [[ $name == mecab && $have_mecab == 0 ]] && continue
    t0=$(now_ns); run_one "$name"; t1=$(now_ns)
    echo "$r $name $(((t1 - t0) / 1000))" >>"$tmp/times"
  done
done

peak_kb() {  # peak RSS (KB) of a command, max over 3 runs
  local best=0 kb
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$tmp/tv" bash -c "$1" >/dev/null 2>&1 || true
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/tv")
    ((kb > best)) && best=$kb
  done
  echo "$best"
}

echo "== hashi start-up on one article: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores =="
echo "article: $(basename "$article"), $(stat -c %s "$article") bytes; binary: $HASHI_BIN"
printf '%-10s %10s %14s %12s\n' command "median ms" "ratio to mecab" "peak RSS MB"
have_time=0
[[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1 && have_time=1
((have_time)) || echo "startup.sh: GNU time missing (apt-get install -y time): no peak RSS" >&2
for name in "${names[@]}"; do
  [[ $name == mecab && $have_mecab == 0 ]] && continue
  median=$(awk -v n="$name" '$2 == n { print $3 }' "$tmp/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] / 1000 }')
  ratio=n/a
  if ((have_mecab)) && [[ $name != mecab ]]; then
    # Median of the per-round ratios.
    ratio=$(awk -v n="$name" '$2 == "mecab" { m[$1] = $3 } $2 == n { h[$1] = $3 }
      END { for (r in h) if (m[r] > 0) printf "%.6f\n", h[r] / m[r] }' "$tmp/times" |
      sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }')
  fi
  rss=n/a
  if ((have_time)); then
    case $name in
      mecab) cmd="mecab -d '$mecab_dic' -Owakati '$article'" ;;
      tokenize) cmd="'$HASHI_BIN' tokenize '$article'" ;;
      annotate) cmd="'$HASHI_BIN' annotate '$article'" ;;
      lookup) cmd="'$HASHI_BIN' lookup --batch <'$article'" ;;
    esac
    rss=$(awk -v k="$(peak_kb "$cmd")" 'BEGIN { printf "%.1f", k / 1024 }')
  fi
  printf '%-10s %10s %14s %12s\n' "$name" "$median" "$ratio" "$rss"
done
echo "(median ms: wall clock over $runs alternating rounds; ratio: median of the per-round hashi/mecab ratios)"

if ((callgrind)); then
  if ! command -v valgrind >/dev/null || ! command -v strip >/dev/null; then
    echo "startup.sh: valgrind or strip missing (apt-get install -y valgrind binutils): no instruction count" >&2
  else
    strip -o "$tmp/hashi" "$HASHI_BIN"
    echo
    echo "instructions before the first input byte (callgrind, stripped binary, empty stdin):"
    for args in "tokenize" "annotate" "lookup --batch"; do
      # shellcheck disable=SC2086
      valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tmp/hashi" $args </dev/null >/dev/null 2>"$tmp/cg.err" || true
      ir=$(awk '/Collected :/ { print $NF }' "$tmp/cg.err" | tail -n1)
      printf '  %-16s %14s%s\n' "$args" "$(printf "%'d" "${ir:-0}" 2>/dev/null || echo "$ir")" \
        "$(awk -v i="${ir:-0}" 'BEGIN { printf "  (%.0f million)", i / 1e6 }')"
    done
  fi
fi
