#!/usr/bin/env python3
"""Generate dictionaries/everyday/common-words.tsv from Debian's EDICT.

Every EDICT headword marked (P), a common word, with its glosses. The linker
uses it to know which dictionary forms are also everyday words (マスク is a face
mask before it is a photomask, ライン is a line before it is LINE, 理想 is an
ideal before it is Li Auto): such a form links to the dictionary's entity only
with evidence in the document, and otherwise gets the everyday English. Its
words also make up unknown compounds (オンライン|ゲーム) when no EDICT index is
imported.

For a katakana headword the English is the first gloss that the
back-transliteration model finds a plausible source of the word (`hashi
transliterate --plausibility`, the same rule as `hashi dict import`), else the
first gloss; other headwords take their first gloss.

Columns: headword, english, glosses (|-separated, at most 5, of 40 characters or fewer), plausible (1 when
english is a plausible source of a katakana headword).

EDICT is by the Electronic Dictionary Research and Development Group, CC BY-SA
4.0 (see dictionaries/README.md). Needs `apt-get install edict` and a built hashi.

Usage: scripts/generate-common-words.py [--hashi BIN]
"""
import argparse
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDICT = Path("/usr/share/edict/edict")
OUTPUT = ROOT / "dictionaries/everyday/common-words.tsv"
KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB]+$")
PLAUSIBLE = -10.0  # EdictImporter.plausibleBelowBest


TECHNICAL = {"comp", "engr", "electr", "elec", "telec", "internet"}


def glosses_of(body, katakana):
    """[(gloss, technical)], and the English source EDICT names ((eng: cancel)), as EdictImporter.parse."""
    out, source, technical = [], None, False
    for raw in body.split("/"):
        g = raw.strip()
        if not g or g == "(P)" or g.startswith("EntL"):
            continue
        tags = []
        while g.startswith("(") and ")" in g:
            tag, g = g[1:g.index(")")], g[g.index(")") + 1:].lstrip(" ")
            tags += tag.split(",")
        if any(t.isdigit() for t in tags):
            technical = False
        if any(t in TECHNICAL for t in tags):
            technical = True
        m = re.search(r"\(eng: ([^)]*)\)", g)
        if source is None and m and m.group(1).strip():
            source = m.group(1).strip()
        if g.endswith(")") and " (" in g:
            g = g[:g.rindex(" (")]
        g = g.strip().replace("\t", " ").replace("|", "/")
        if g.startswith("to ") and len(g) > 3 and katakana:
            g = g[3:]
        if g:
            out.append((g, technical, "uk" in tags))
    return out, source


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hashi", default=str(ROOT / ".build/release/hashi"))
    args = ap.parse_args()
    if not EDICT.exists():
        sys.exit("generate-common-words: /usr/share/edict/edict not found (apt-get install edict)")
    raw = EDICT.read_bytes().decode("euc_jp", errors="replace")
    entries = {}
    for line in raw.split("\n")[1:]:
        if "/(P)/" not in line or " /" not in line:
            continue
        head, body = line.split(" /", 1)
        word = unicodedata.normalize("NFKC", head.split(" ", 1)[0].strip())
        if not word or "\t" in word:
            continue
        glosses, source = glosses_of(body, bool(KATAKANA.match(word)))
        if not glosses:
            continue
        uk = any(u for _, _, u in glosses)
        plain = [(g, t) for g, t, _ in glosses if len(g) <= 40][:5] or [(glosses[0][0][:40], glosses[0][1])]
        if word in entries:
            # A second (P) entry for the same spelling: its glosses join the first's.
            known = entries[word]
            known["glosses"] += [g for g in plain if g not in known["glosses"]][: 5 - len(known["glosses"])]
            continue
        entries[word] = {"glosses": plain, "uk": uk, "source": source}

    queries = []
    for word, e in entries.items():
        if KATAKANA.match(word) and not e["uk"]:
            for g, _ in e["glosses"]:
                queries.append(f"{word}={g}")
    scores = {}
    if queries:
        proc = subprocess.run([args.hashi, "transliterate", "--plausibility", "-"], input="\n".join(queries) + "\n",
                              capture_output=True, text=True, check=True)
        for line in proc.stdout.splitlines():
            query, score = line.rsplit("\t", 1)
            scores[query] = None if score == "none" else float(score)

    rows = []
    for word in sorted(entries):
        e = entries[word]
        english, plausible = e["glosses"][0][0], 0
        if KATAKANA.match(word) and not e["uk"]:
            if e["source"]:
                english, plausible = e["source"], 1
            else:
                # As EdictImporter.chooseEnglish: technical senses first, then the most
                # plausible source, the earlier gloss on near ties (within 1 nat).
                best = None
                for g, technical in e["glosses"]:
                    s = scores.get(f"{word}={g}")
                    if s is None or s < PLAUSIBLE:
                        continue
                    if best and ((best[2] and not technical) or (best[2] == technical and s <= best[1] + 1.0)):
                        continue
                    best = (g, s, technical)
                if best:
                    english, plausible = best[0], 1
        rows.append(f"{word}\t{english}\t{'|'.join(g for g, _ in e['glosses'])}\t{plausible}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Common words of EDICT (marked (P)): headword, English, glosses, plausible.\n"
        "# Generated by scripts/generate-common-words.py from Debian's edict; do not edit by hand.\n"
        "# EDICT: Electronic Dictionary Research and Development Group, CC BY-SA 4.0 (see dictionaries/README.md).\n"
    )
    OUTPUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} words")


if __name__ == "__main__":
    main()
