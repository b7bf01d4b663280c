#!/usr/bin/env bash
# Runs Hashi's libFuzzer targets (Sources/HashiFuzz) with AddressSanitizer and leak checks.
#
#   scripts/fuzz.sh TARGET SECONDS     one target: document dict glossary edict index model
#   scripts/fuzz.sh all SECONDS        each target in turn, SECONDS each
#
# Seeds come from Tests/Fuzz/TARGET (never written); the growing corpus, crash
# artifacts and logs go to .build-fuzz/. Exits 1 when any target finds a crash,
# a leak, a timeout (a unit slower than 25 s) or an allocation over 2 GB;
# the reproducer is then .build-fuzz/artifacts/TARGET/crash-* (run the binary
# on it: HASHI_FUZZ_TARGET=TARGET .build-fuzz/release/HashiFuzz FILE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets=(document dict glossary edict index model)
if (($# != 2)) || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS (targets: ${targets[*]})" >&2
  exit 2
fi
if [[ $1 == all ]]; then
  chosen=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
  chosen=("$1")
else
  echo "scripts/fuzz.sh: unknown target '$1' (targets: ${targets[*]})" >&2
  exit 2
fi
seconds=$2

# The harness exists only in this configuration (see the end of Package.swift); optimized,
# with AddressSanitizer and coverage for libFuzzer.
flags=(-c release --scratch-path .build-fuzz --product HashiFuzz -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address)
HASHI_FUZZ=1 swift build "${flags[@]}" >&2
binary="$(HASHI_FUZZ=1 swift build "${flags[@]}" --show-bin-path)/HashiFuzz"

status=0
for target in "${chosen[@]}"; do
  corpus=.build-fuzz/corpus/$target
  artifacts=.build-fuzz/artifacts/$target
  log=.build-fuzz/logs/$target.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  start=$(date +%s)
  if HASHI_FUZZ_TARGET=$target LSAN_OPTIONS=suppressions=Tests/Fuzz/lsan.supp "$binary" -max_total_time="$seconds" -max_len=8192 -timeout=25 -rss_limit_mb=2048 \
       -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "Tests/Fuzz/$target" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and $artifacts/)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz $target: $(( $(date +%s) - start )) s, $runs inputs, $result" >&2
  if [[ $result != ok ]]; then grep -m 5 -E 'ERROR|SUMMARY|Fatal|panic' "$log" >&2 || tail -n 20 "$log" >&2; fi
done
exit $status
