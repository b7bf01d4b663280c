#!/usr/bin/env python3
"""Score `hashi annotate` against a gold list of linked mentions.

Input: a text file with one self-contained sentence per line and a gold TSV
(`line<TAB>surface<TAB>id`, 1-based line numbers), by default the project's
held-out set in Tests/Fixtures/linking/ (sentences written for Hashi that use
entities not in the user's article).

Each line is annotated as its own document (written to a temporary folder), so
coreference cannot leak between lines. A predicted mention is correct when its
(line, surface, id) matches a gold mention not matched yet. Unlinked mentions
(unknown katakana words) are not counted.

    scripts/evaluate-linking.py                       # held-out set, built hashi
    scripts/evaluate-linking.py --errors 30           # also list the misses
    scripts/evaluate-linking.py --hashi PATH --json
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", default=str(ROOT / "Tests/Fixtures/linking/heldout.txt"))
    parser.add_argument("--gold", default=str(ROOT / "Tests/Fixtures/linking/heldout-gold.tsv"))
    parser.add_argument("--hashi", help="hashi binary (default: swift build -c release --show-bin-path)/hashi")
    parser.add_argument("--errors", type=int, default=0, help="print up to K false positives and K misses")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    hashi = args.hashi
    if hashi is None:
        bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                                  capture_output=True, text=True, check=True).stdout.strip()
        hashi = os.path.join(bin_path, "hashi")
    if not os.access(hashi, os.X_OK):
        print(f"evaluate-linking: no hashi binary at {hashi} (swift build -c release)", file=sys.stderr)
        return 2

    lines = Path(args.text).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    gold = collections.Counter()
    gold_types = {}
    with open(args.gold, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:3] != ["line", "surface", "id"]:
            print(f"{args.gold}:1: expected header line<TAB>surface<TAB>id", file=sys.stderr)
            return 2
        for number, row in enumerate(f, start=2):
            fields = row.rstrip("\n").split("\t")
            if len(fields) < 3:
                print(f"{args.gold}:{number}: expected 3 fields", file=sys.stderr)
                return 2
            gold[(int(fields[0]), fields[1], fields[2])] += 1

    with tempfile.TemporaryDirectory() as tmp:
        for k, line in enumerate(lines, start=1):
            Path(tmp, f"{k:05d}.txt").write_text(line + "\n", encoding="utf-8")
        run = subprocess.run([hashi, "annotate", "--format", "jsonl", "--linked-only", tmp],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"evaluate-linking: hashi failed: {run.stderr.strip()}", file=sys.stderr)
            return 1
    predicted = collections.Counter()
    types = {}
    for row in run.stdout.splitlines():
        m = json.loads(row)
        line = int(Path(m["document"]).stem)
        predicted[(line, m["surface"], m["id"])] += 1
        types[m["id"]] = m["type"]

    correct = sum((predicted & gold).values())
    p = correct / max(1, sum(predicted.values()))
    r = correct / max(1, sum(gold.values()))
    f1 = 2 * p * r / max(1e-9, p + r)
    result = {"sentences": len(lines), "gold": sum(gold.values()), "predicted": sum(predicted.values()),
              "correct": correct, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"sentences {result['sentences']}  gold {result['gold']}  predicted {result['predicted']}  "
              f"correct {correct}  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    if args.errors:
        fp = predicted - gold
        fn = gold - predicted
        print(f"\nfalse positives ({sum(fp.values())}):")
        for (line, surface, eid), n in sorted(fp.items())[: args.errors]:
            print(f"  {line:4d}  {surface}  → {eid}" + (f" ×{n}" if n > 1 else ""))
        print(f"\nmissed ({sum(fn.values())}):")
        for (line, surface, eid), n in sorted(fn.items())[: args.errors]:
            print(f"  {line:4d}  {surface}  → {eid}" + (f" ×{n}" if n > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
