#!/usr/bin/env bash
# Regression guard for segmentation quality: scores `hashi tokenize --unit short`
# on the UD Japanese-GSD dev set and fails below the targets of the foundation
# issue (word-boundary F1 >= .93, katakana-word F1 >= .95). Prints the table.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gold=${HASHI_GOLD:-$repo/../shared/data/ud-japanese-gsd/ja_gsd-ud-dev.conllu}
if [[ ! -f $gold ]]; then
  echo "check-segmentation: no gold file at $gold (../shared missing)" >&2
  exit 1
fi
swift build -c release --product hashi >/dev/null
bin=$(swift build -c release --show-bin-path)/hashi
json=$(python3 "$repo/scripts/evaluate.py" --gold "$gold" --unit short --name hashi-short --json \
  --cmd "$bin tokenize --unit short --format text -")
python3 "$repo/scripts/evaluate.py" --gold "$gold" --unit long --name hashi-long --cmd "$bin tokenize --unit long --format text -"
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
def f1(section):
    for key in (section, section + "_f1"):
        if key in r:
            v = r[key]
            return v["f1"] if isinstance(v, dict) else v
    raise SystemExit(f"check-segmentation: no {section} in {sorted(r)}")
b, k = f1("boundary"), f1("katakana")
print(f"hashi short units: boundary F1 {b:.3f} (target .930), katakana-word F1 {k:.3f} (target .950)")
ok = b >= 0.93 and k >= 0.95
print("check-segmentation: " + ("targets met" if ok else "BELOW TARGET"))
sys.exit(0 if ok else 1)
PY
