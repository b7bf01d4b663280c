#!/usr/bin/env python3
"""Generate dictionaries/everyday/common-words.tsv from Debian's EDICT.

Every EDICT headword marked (P), a common word, with its glosses. The linker
uses it to know which dictionary forms are also everyday words (マスク is a face
mask before it is a photomask, ライン is a line before it is LINE, 理想 is an
ideal before it is Li Auto): such a form links to the dictionary's entity only
with evidence in the document, and otherwise gets the everyday English. Its
words also make up unknown compounds (オンライン|ゲーム) when no EDICT index is
imported.

The English of each word is chosen exactly as `hashi dict import` chooses it
(EdictImporter.chooseEnglish: the English source of a katakana loanword), by
hashi itself: `hashi dict import --common-words FILE`. This script only runs
it. Columns: headword, english, glosses (|-separated, at most 5, of 40
characters or fewer), plausible (1 when english is a plausible source of a
katakana headword).

EDICT is by the Electronic Dictionary Research and Development Group, CC BY-SA
4.0 (see dictionaries/README.md). Needs `apt-get install edict` and a built hashi.

Usage: scripts/generate-common-words.py [--hashi BIN]
"""
import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "dictionaries/everyday/common-words.tsv"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hashi", default=str(ROOT / ".build/release/hashi"))
    args = ap.parse_args()
    if not Path("/usr/share/edict/edict").exists():
        sys.exit("generate-common-words: /usr/share/edict/edict not found (apt-get install edict)")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([args.hashi, "dict", "import", "--enamdict", "-", "--common-words", str(OUTPUT)], check=True)
    rows = sum(1 for line in OUTPUT.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    print(f"{OUTPUT.relative_to(ROOT)}: {rows} words")


if __name__ == "__main__":
    main()
