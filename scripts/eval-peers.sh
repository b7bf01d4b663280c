#!/usr/bin/env bash
# Segmentation accuracy of the peers (raw ICU word break, MeCab+IPAdic) and,
# when HASHI_BIN points at a built hashi binary, of hashi itself, on the
# UD Japanese-GSD dev set, for short and long units (scripts/evaluate.py).
#
# Usage: scripts/eval-peers.sh [EVALUATE_ARGS...]
#   e.g. scripts/eval-peers.sh               # full dev set, tables to stdout
#        scripts/eval-peers.sh --limit 50    # quick check
#        HASHI_BIN=$(swift build -c release --show-bin-path)/hashi scripts/eval-peers.sh
# Environment:
#   HASHI_BIN        hashi binary to include (optional; this script never builds Swift)
#   BENCH_BUILD_DIR  where the C peer is compiled (default: <repo>/.build-bench)
#   MECAB_DIC        MeCab dictionary dir (default: /var/lib/mecab/dic/ipadic-utf8)
# Needs: python3, gcc, pkg-config and libicu-dev; mecab + mecab-ipadic-utf8 optional
# (apt-get install -y mecab mecab-ipadic-utf8). Installs nothing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/.build-bench}
mecab_dic=${MECAB_DIC:-/var/lib/mecab/dic/ipadic-utf8}
evaluate=("python3" "$repo/scripts/evaluate.py")

note() { printf 'note: %s\n' "$*" >&2; }
die() { printf 'eval-peers.sh: error: %s\n' "$*" >&2; exit 1; }

build_icu_peer() {
  local src=$repo/benchmarks/icu_wordbreak.c bin=$build_dir/icu_wordbreak
  if [[ ! -x $bin || $src -nt $bin ]]; then
    command -v gcc >/dev/null || die "gcc not found (apt-get install -y gcc)"
    pkg-config --exists icu-uc icu-i18n || die "ICU development files not found (apt-get install -y libicu-dev pkg-config)"
    mkdir -p "$build_dir"
    # shellcheck disable=SC2046
    gcc -O2 -Wall -o "$bin.tmp" "$src" $(pkg-config --cflags --libs icu-uc icu-i18n) || die "building the ICU peer failed"
    mv "$bin.tmp" "$bin"
  fi
  printf '%s\n' "$bin"
}

icu_bin=$(build_icu_peer)

names=("raw-icu-$(pkg-config --modversion icu-uc)")
cmds_short=("$(printf %q "$icu_bin")")
cmds_long=("${cmds_short[0]}")

if command -v mecab >/dev/null && [[ -d $mecab_dic ]]; then
  names+=("mecab-ipadic")
  cmds_short+=("mecab -d $(printf %q "$mecab_dic") -Owakati")
  cmds_long+=("${cmds_short[-1]}")
else
  note "MeCab+IPAdic skipped: mecab or $mecab_dic is missing (apt-get install -y mecab mecab-ipadic-utf8)"
fi

if [[ -n ${HASHI_BIN:-} ]]; then
  [[ -x $HASHI_BIN && ! -d $HASHI_BIN ]] || die "HASHI_BIN=$HASHI_BIN is not an executable file"
  names+=("hashi")
  cmds_short+=("$(printf %q "$HASHI_BIN") tokenize --unit short --format text -")
  cmds_long+=("$(printf %q "$HASHI_BIN") tokenize --unit long --format text -")
else
  note "hashi not included (set HASHI_BIN to a built binary to add it)"
fi

status=0
for unit in short long; do
  echo
  echo "== UD Japanese-GSD dev, $unit units =="
  header=()
  for i in "${!names[@]}"; do
    if [[ $unit == short ]]; then cmd=${cmds_short[$i]}; else cmd=${cmds_long[$i]}; fi
    "${evaluate[@]}" --unit "$unit" --name "${names[$i]}" --cmd "$cmd" "${header[@]}" "$@" || status=1
    header=(--no-header)
  done
done
exit "$status"
