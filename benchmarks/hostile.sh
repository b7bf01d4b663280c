#!/usr/bin/env bash
# Memory and time of hashi on one huge document against the same bytes as many
# article-sized files (issue 16: a single large file must stay under 200 MB of
# memory, with throughput close to that of the directory), plus linear time on
# long katakana runs (time of a run four times as long, as a ratio).
#
# Usage: benchmarks/hostile.sh [--mb N] [--commands "annotate glossary"]
#   --mb N         size of the document in MB (10^6 bytes), default 500
#   --commands     which commands to measure, default "annotate glossary"
# Environment: HASHI_BIN (skip the build), HASHI_SHARED (default <repo>/../shared),
# TMPDIR (needs twice the size free). Needs GNU time (apt-get install time).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${HASHI_SHARED:-$repo/../shared}
mb=500 commands="annotate glossary"
while (($#)); do
  case $1 in
    --mb) mb=${2:?}; shift 2 ;;
    --commands) commands=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "hostile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "hostile.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The corpus: the shared articles and the repo's, repeated; as one file and as
# files of one repetition each (the same bytes).
sources=()
for f in "$shared"/corpora/*.txt "$repo"/corpora/*.txt; do [[ -f $f ]] && sources+=("$f"); done
unit=$tmp/unit.txt
for f in "${sources[@]}"; do cat "$f"; printf '\n'; done > "$unit"
unit_bytes=$(stat -c %s "$unit")
copies=$(( (mb * 1000000 + unit_bytes - 1) / unit_bytes ))
mkdir -p "$tmp/dir"
big=$tmp/big.txt
# Directory of $copies files; the single file is their concatenation in the same order.
for ((k = 0; k < copies; k++)); do cp "$unit" "$tmp/dir/$(printf '%07d' "$k").txt"; done
( cd "$tmp/dir" && find . -name '*.txt' | sort | xargs cat ) > "$big"
bytes=$(stat -c %s "$big")
printf 'document: %d bytes (%d copies of %d bytes); directory: %d files of the same bytes\n' "$bytes" "$copies" "$unit_bytes" "$copies"

measure() {  # label, command...: prints seconds and peak RSS in MB
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null
  read -r seconds kb < "$tmp/time"
  printf '%-28s %8.1f s %8.1f MB/s %8.1f MB peak RSS\n' "$label" "$seconds" \
    "$(echo "$bytes / 1000000 / $seconds" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
  echo "$seconds $kb" > "$tmp/last"
}

for command in $commands; do
  case $command in
    annotate) args=(annotate --format jsonl) ;;
    glossary) args=(glossary --format csv) ;;
    tokenize) args=(tokenize) ;;
    *) echo "hostile.sh: unknown command $command" >&2; exit 2 ;;
  esac
  measure "$command one file" "$HASHI_BIN" "${args[@]}" "$big"; read -r s1 k1 < "$tmp/last"
  measure "$command directory" "$HASHI_BIN" "${args[@]}" "$tmp/dir"; read -r s2 k2 < "$tmp/last"
  printf '%-28s time one file / directory %.2f, peak RSS one file %.0f MB (target < 200)\n' "$command" \
    "$(echo "$s1 / $s2" | bc -l)" "$(echo "$k1 / 1024" | bc -l)"
done

# Long katakana runs, one line each: time of 4 MB against 1 MB (linear: about 4).
for kind in aa dot random; do
  for size in 1 4; do
    python3 - "$kind" "$size" > "$tmp/kata-$kind-$size.txt" <<'PY'
import random, sys
kind, mb = sys.argv[1], int(sys.argv[2])
n = mb * 1000000 // 3
random.seed(1)
if kind == "aa":
    text = "アー" * (n // 2)
elif kind == "dot":
    text = "ア・" * (n // 2)
else:
    text = "".join(chr(random.randint(0x30A1, 0x30FA)) for _ in range(n))
print(text)
PY
  done
  /usr/bin/time -f '%e' -o "$tmp/t1" "$HASHI_BIN" glossary "$tmp/kata-$kind-1.txt" > /dev/null 2>&1
  /usr/bin/time -f '%e' -o "$tmp/t4" "$HASHI_BIN" glossary "$tmp/kata-$kind-4.txt" > /dev/null 2>&1
  printf 'katakana run %-7s glossary 1 MB %6.2f s, 4 MB %6.2f s, ratio %.2f (linear: about 4)\n' "$kind" \
    "$(cat "$tmp/t1")" "$(cat "$tmp/t4")" "$(echo "$(cat "$tmp/t4") / $(cat "$tmp/t1")" | bc -l)"
done
