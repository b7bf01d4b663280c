#!/usr/bin/env python3
"""Extract the katakana short-unit words of UniDic into dictionaries/segmentation/katakana-words.tsv.

Hashi's short units split katakana compounds where a lexicon knows the parts
(データセンター → データ|センター). UniDic (the dictionary behind the UD Japanese
short-unit standard) lists ~87k katakana words with MeCab word costs; this script
keeps, for each katakana surface of two or more characters, its lowest cost and
whether every reading of it is a proper noun.

Source: Debian's `unidic-mecab` package (UniDic 3.1.1, BSD-3-Clause / LGPL-2.1 /
GPL-2+, (c) The UniDic Consortium). It is large (1 GB download), so the output is
committed and this script is only needed to regenerate it:

    apt-get download unidic-mecab
    dpkg-deb --fsys-tarfile unidic-mecab_*.deb | tar -x ./usr/share/mecab/dic/unidic/lex_3_1.csv
    scripts/extract-unidic-katakana.py usr/share/mecab/dic/unidic/lex_3_1.csv

After regenerating, run scripts/generate-builtin-data.py.
"""
import re
import sys
from pathlib import Path

KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FD\u30FE]+$")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(sys.argv[1])
    best: dict[str, tuple[int, bool]] = {}
    with source.open(encoding="utf-8") as lex:
        for line in lex:
            fields = line.split(",")
            word = fields[0]
            if len(word) < 2 or not KATAKANA.match(word):
                continue
            cost = int(fields[3])
            proper = fields[5] == "固有名詞"
            old = best.get(word)
            if old is None:
                best[word] = (cost, proper)
            else:
                best[word] = (min(old[0], cost), old[1] and proper)
    out = Path(__file__).resolve().parent.parent / "dictionaries/segmentation/katakana-words.tsv"
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# Katakana short-unit words with MeCab word costs (lower = more common).\n")
        f.write("# Extracted from UniDic 3.1.1 by scripts/extract-unidic-katakana.py.\n")
        f.write("# UniDic: Copyright 2011-2018 The UniDic Consortium, BSD-3-Clause (see dictionaries/README.md).\n")
        f.write("# Columns: word, cost, proper (1 when the word is only a proper noun).\n")
        for word in sorted(best):
            cost, proper = best[word]
            f.write(f"{word}\t{cost}\t{1 if proper else 0}\n")
    print(f"{out}: {len(best)} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
