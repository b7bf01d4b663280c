#!/usr/bin/env python3
"""Accuracy of `hashi transliterate` (katakana → English) and of cutlet, in one run.

Two test sets:
  heldout  the 10% of EDICT's katakana loanwords that scripts/train-transliteration.py
           never sees (transliteration_data.is_heldout), minus words Hashi's
           dictionaries know; the gold answers are every English source chosen for
           that katakana
  tech     Tests/Fixtures/transliteration/tech-words.tsv (ja<TAB>en), recent tech
           words written for Hashi; the script first checks that none of them is in
           EDICT (headwords and readings) or in dictionaries/*.tsv (ja, aliases),
           NFKC-normalized with ・ removed, and fails if one is
(--set dev scores the dev 10% instead, for tuning a model built with --exclude-dev.)

A candidate is right when it equals a gold answer compared case-insensitively on
letters only (spaces, hyphens and other punctuation ignored). Top-1: the first
candidate is right; top-5: one of the first five is.

Peer: cutlet (pip install cutlet unidic-lite) with use_foreign_spelling, which
gives one spelling, so its top-5 equals its top-1. Skipped when not installed.

Usage: scripts/evaluate-transliteration.py [--hashi BIN] [--model FILE] [--set heldout|dev]
       [--limit N] [--errors K] [--no-cutlet] [--json]
Default BIN: .build/release/hashi, else .build/debug/hashi. Needs /usr/share/edict/edict.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import transliteration_data as td  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TECH = ROOT / "Tests/Fixtures/transliteration/tech-words.tsv"


def key(text: str) -> str:
    return td.nfkc(text).replace(td.DOT, "")


def dictionary_forms() -> set:
    """Japanese forms in Hashi's dictionaries (columns ja and aliases)."""
    forms = set()
    for path in sorted((ROOT / "dictionaries").rglob("*.tsv")):
        header = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if header is None:
                    header = fields
                    continue
                for column in ("ja", "aliases"):
                    if column in header and header.index(column) < len(fields):
                        for form in fields[header.index(column)].split("|"):
                            if form:
                                forms.add(key(form))
    return forms


def edict_forms() -> set:
    """Every headword and reading of EDICT, NFKC with ・ removed."""
    forms = set()
    with open(td.EDICT, "rb") as f:
        raw = f.read().decode("euc_jp", errors="replace")
    for line in raw.split("\n")[1:]:
        if " /" not in line:
            continue
        head = line.split(" /", 1)[0]
        parts = head.split(" ", 1)
        forms.add(key(parts[0]))
        if len(parts) > 1:
            for reading in parts[1].strip("[]").split(";"):
                forms.add(key(reading.split("(")[0]))
    return forms


def load_tech():
    rows = []
    with open(TECH, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line == "ja\ten":
                continue
            ja, en = line.split("\t")
            rows.append((ja, [en]))
    return rows


def run_hashi(binary, words, model, weights, top):
    cmd = [binary, "transliterate", "--json", "--top", str(top)]
    if model:
        cmd += ["--model", model]
    if weights:
        cmd += ["--weights", weights]
    start = time.perf_counter()
    out = subprocess.run(cmd, input="\n".join(words) + "\n", capture_output=True, text=True)
    seconds = time.perf_counter() - start
    results = {}
    for line in out.stdout.splitlines():
        obj = json.loads(line)
        results[obj["query"]] = [c["en"] for c in obj["candidates"]]
    if len(results) < len(set(words)):
        sys.exit(f"evaluate-transliteration.py: hashi answered {len(results)} of {len(set(words))} words: {out.stderr[:500]}")
    return results, seconds


def run_cutlet(words):
    try:
        import cutlet
    except ImportError:
        return None
    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = True
    return {w: [katsu.romaji(w)] for w in words}


def score(rows, answers):
    top1 = top5 = 0
    misses = []
    for ja, gold in rows:
        golds = {td.letters(g) for g in gold}
        got = [td.letters(c) for c in answers.get(ja, [])]
        if got[:1] and got[0] in golds:
            top1 += 1
        if any(c in golds for c in got[:5]):
            top5 += 1
        else:
            misses.append((ja, gold, answers.get(ja, [])[:5]))
    n = len(rows)
    return {"n": n, "top1": top1 / n if n else 0.0, "top5": top5 / n if n else 0.0}, misses


def main() -> int:
    ap = argparse.ArgumentParser(description="Accuracy of hashi transliterate and cutlet.")
    ap.add_argument("--hashi")
    ap.add_argument("--model")
    ap.add_argument("--weights")
    ap.add_argument("--set", choices=["heldout", "dev"], default="heldout")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N words of each set")
    ap.add_argument("--errors", type=int, default=0, help="list K misses per set")
    ap.add_argument("--no-cutlet", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    binary = args.hashi
    if not binary:
        for candidate in (ROOT / ".build/release/hashi", ROOT / ".build/debug/hashi"):
            if candidate.exists():
                binary = str(candidate)
                break
    if not binary:
        sys.exit("evaluate-transliteration.py: no hashi binary (swift build -c release, or --hashi)")

    known = dictionary_forms()
    pick = td.is_heldout if args.set == "heldout" else td.is_dev
    gold = defaultdict(list)
    for ja, en, _ in td.read_edict(romanize=td.simple_romaji):
        if pick(ja) and key(ja) not in known:
            gold[ja].append(en)
    edict_rows = sorted(gold.items(), key=lambda kv: td.split_key(kv[0]) * 10**6 + hash_order(kv[0]))

    tech = load_tech()
    in_edict = edict_forms()
    bad = [(ja, "EDICT") for ja, _ in tech if key(ja) in in_edict]
    bad += [(ja, "Hashi's dictionaries") for ja, _ in tech if key(ja) in known]
    bad += [(ja, "not katakana") for ja, _ in tech if not td.is_katakana_word(td.nfkc(ja))]
    if bad:
        for ja, where in bad:
            print(f"{TECH.relative_to(ROOT)}: {ja} is in {where}", file=sys.stderr)
        return 1

    sets = [(f"edict-{args.set}", edict_rows), ("tech-words", tech)]
    if args.limit:
        sets = [(name, rows[:args.limit]) for name, rows in sets]
    report = []
    for name, rows in sets:
        words = [ja for ja, _ in rows]
        answers, seconds = run_hashi(binary, words, args.model, args.weights, 5)
        result, misses = score(rows, answers)
        report.append({"set": name, "system": "hashi", **result, "seconds": round(seconds, 2)})
        if args.errors:
            for ja, g, got in misses[:args.errors]:
                print(f"miss {name}: {ja} gold={'|'.join(g)} got={' | '.join(got)}", file=sys.stderr)
        if not args.no_cutlet:
            cut = run_cutlet(words)
            if cut is None:
                print("note: cutlet not installed (pip install cutlet unidic-lite): peer skipped", file=sys.stderr)
            else:
                result, _ = score(rows, cut)
                report.append({"set": name, "system": "cutlet", **result})
    if args.json:
        for row in report:
            print(json.dumps(row))
    else:
        print(f"{'set':<16} {'system':<8} {'words':>6} {'top-1':>7} {'top-5':>7}")
        for row in report:
            top5 = f"{row['top5']:.1%}" if row["system"] == "hashi" else "(=top-1)"
            print(f"{row['set']:<16} {row['system']:<8} {row['n']:>6} {row['top1']:>7.1%} {top5:>8}")
    return 0


def hash_order(ja: str) -> int:
    """A fixed order within a split bucket (so --limit takes a stable sample)."""
    return td.split_key(ja + "#") * 100 + len(ja)


if __name__ == "__main__":
    sys.exit(main())
