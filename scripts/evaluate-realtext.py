#!/usr/bin/env python3
"""English for katakana terms on real parallel text that nobody on the project wrote.

The text: the Japanese translations of software messages that installed Debian
packages ship as gettext catalogs (/usr/share/locale/ja/LC_MESSAGES/*.mo, and
vim's), read at run time with `msgunfmt`; the English `msgid` is the reference.
Nothing of it is committed. Catalogs of ISO code names (iso_*) are left out:
they are lists of place and language names, not prose.

Terms: every katakana run of two letters or more in the Japanese (a regex over
the text, not Hashi's tokens), with the catalog's segment it occurs in. Every
system answers for the same term occurrences:

  hashi+edict   `hashi annotate` with the EDICT index (the English of the mentions
                covering the term; the transliteration guess for unknown words)
  hashi         the same without the index (--no-edict)
  translit      `hashi transliterate` top-1 alone
  edict-first   EDICT's first gloss of the exact headword
  cutlet        cutlet's foreign spelling (PyPI cutlet + unidic-lite), if installed

An answer is verified when the English side contains it: whole words, case
folded, simple inflections of either side (-s -es -ed -ing, y/ies), spaces and hyphens between
the answer's words optional (bit mask = bitmask). The precision proxy is
verified / answered; coverage is verified / all term occurrences; "distinct" is
the number of different katakana terms verified at least once. The chance rate
checks the same answers against the English of an unrelated segment (another
catalog's): what the proxy gives for nothing.

Latin false links: Latin words in the Japanese (identifiers, options, English
left untranslated) that Hashi links to an English name other than the word
itself, where that name does not occur in the English side (value -> Valve,
line -> LINE), per thousand Latin tokens.

Usage: scripts/evaluate-realtext.py [--hashi BIN] [--edict-index FILE] [--limit N]
        [--errors K] [--json] [--check]
  --check   exit 1 unless hashi+edict's precision proxy is at least translit's and
            hashi's (without index) is no worse than translit's (CI)
  --limit N use every N-th segment (a deterministic sample)
The EDICT index is $HASHI_EDICT_INDEX or hashi's default path (hashi dict import);
without one, the hashi+edict row is skipped (and --check fails).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATAKANA = re.compile(r"[\u30A1-\u30FA\u30FC\u30FB]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_+\-.]*[A-Za-z0-9]|[A-Za-z]")
EDICT = Path("/usr/share/edict/edict")


# ---------------------------------------------------------------- catalogs

def catalogs():
    paths = sorted(Path("/usr/share/locale/ja/LC_MESSAGES").glob("*.mo"))
    paths += sorted(Path("/usr/share/vim").glob("vim*/lang/ja/LC_MESSAGES/*.mo"))
    return [p for p in paths if not p.name.startswith("iso_")]


def unquote(s):
    return json.loads('"' + s.replace("\t", "\\t") + '"') if s else ""


def parse_po(text):
    """(msgid, msgstr) pairs; plural forms give (msgid_plural, msgstr[0])."""
    entries, current, field = [], {}, None
    def flush():
        if "msgid" in current:
            ident = current.get("msgid_plural") or current["msgid"]
            target = current.get("msgstr") or current.get("msgstr[0]") or ""
            if ident and target:
                entries.append((ident, target))
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if m:
            if m.group(1) in ("msgid", "msgctxt") and ("msgstr" in current or "msgstr[0]" in current):
                flush()
                current = {}
            field = m.group(1)
            try:
                current[field] = unquote(m.group(2))
            except ValueError:
                current[field] = ""
        elif line.startswith('"') and field:
            try:
                current[field] += unquote(line[1:-1])
            except ValueError:
                pass
    flush()
    return entries


FORMAT = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t|I)?[diouxXeEfFgGaAcspnm%]"
                    r"|\$\{?[A-Za-z_]+\}?|\{[0-9a-z_]*\}|\\[ntr]")


def clean(text):
    text = FORMAT.sub(" ", text)
    text = text.replace("_", "").replace("&", "")
    return re.sub(r"\s+", " ", text).strip()


def segments(limit):
    """[(catalog, english, japanese)], deduplicated, in catalog order."""
    seen = set()
    out = []
    for path in catalogs():
        try:
            po = subprocess.run(["msgunfmt", str(path)], capture_output=True, text=True, errors="replace").stdout
        except FileNotFoundError:
            sys.exit("evaluate-realtext: msgunfmt not found (apt-get install gettext)")
        for en, ja in parse_po(po):
            en, ja = clean(en), clean(ja)
            if not en or not ja or (en, ja) in seen or not KATAKANA.search(ja):
                continue
            seen.add((en, ja))
            out.append((path.stem, en, ja))
    if limit > 1:
        out = out[::limit]
    return out


def terms_of(ja):
    """(start, end) scalar offsets of katakana terms of at least two letters."""
    spans = []
    for m in KATAKANA.finditer(ja):
        s, e = m.start(), m.end()
        while s < e and ja[s] in "・ー":
            s += 1
        while e > s and ja[e - 1] == "・":
            e -= 1
        letters = sum(1 for c in ja[s:e] if c not in "・ー")
        if letters >= 2:
            spans.append((s, e))
    return spans


# ---------------------------------------------------------------- verification

def word_pattern(word):
    # The answer's own inflection does not matter: mounting = mount, encoded = encode.
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[: -len(suffix)]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stem = stem[:-1]
            return re.escape(stem) + r"(?:e|es|ed|s|ing|" + re.escape(stem[-1]) + r"ing|" + re.escape(stem[-1]) + r"ed)?"
    w = re.escape(word)
    if word.endswith("y") and len(word) > 2:
        return re.escape(word[:-1]) + r"(?:y|ies|ied)"
    if word.endswith("e") and len(word) > 2:
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    return w + r"(?:s|es|ed|d|ing|'s)?"


_patterns = {}


def answer_regex(answer):
    key = answer.lower()
    if key not in _patterns:
        words = re.findall(r"[a-z0-9]+", key)
        if not words:
            _patterns[key] = None
        else:
            body = r"[\s\-]?".join(word_pattern(w) for w in words)
            _patterns[key] = re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")
    return _patterns[key]


def verified(answer, english):
    if not answer:
        return False
    rx = answer_regex(answer)
    return bool(rx and rx.search(english.lower()))


# ---------------------------------------------------------------- systems

def run_hashi_annotate(hashi, docs, edict_index):
    """Mentions per (document index, line index): [(start, end, answer, linked, surface, en, match)]."""
    env = dict(os.environ)
    args = [hashi, "annotate", "--format", "jsonl"]
    if edict_index:
        env["HASHI_EDICT_INDEX"] = edict_index
    else:
        args.append("--no-edict")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for k, lines in enumerate(docs):
            p = Path(tmp) / f"{k:04d}.txt"
            p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            paths.append(str(p))
        starts = []
        for lines in docs:
            offsets, pos = [], 0
            for line in lines:
                offsets.append(pos)
                pos += len(line) + 1
            starts.append(offsets)
        proc = subprocess.run(args + paths, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            sys.exit(f"evaluate-realtext: hashi annotate failed: {proc.stderr.strip()[:500]}")
        found = defaultdict(list)
        import bisect
        for line in proc.stdout.splitlines():
            m = json.loads(line)
            k = int(Path(m["document"]).stem)
            li = bisect.bisect_right(starts[k], m["start"]) - 1
            base = starts[k][li]
            answer = m.get("en") or m.get("guess")
            found[(k, li)].append((m["start"] - base, m["end"] - base, answer, m.get("en") is not None,
                                   m["surface"], m.get("en"), m.get("match")))
        return found


def hashi_answer(mentions, s, e):
    """The English Hashi gives for the term at s..<e: the mentions overlapping it, in order."""
    parts = [m for m in mentions if m[0] < e and m[1] > s]
    answers = [m[2] for m in parts if m[2]]
    return " ".join(answers) if answers else None


def run_transliterate(hashi, terms):
    words = sorted(terms)
    proc = subprocess.run([hashi, "transliterate", "--json", "--top", "1", "-"], input="\n".join(words) + "\n",
                          capture_output=True, text=True)
    out = {}
    for line in proc.stdout.splitlines():
        r = json.loads(line)
        if r.get("candidates"):
            out[r["query"]] = r["candidates"][0]["en"]
    return out


def edict_first_glosses():
    glosses = {}
    if not EDICT.exists():
        return glosses
    raw = EDICT.read_bytes().decode("euc_jp", errors="replace")
    for line in raw.split("\n")[1:]:
        if " /" not in line:
            continue
        head, body = line.split(" /", 1)
        word = unicodedata.normalize("NFKC", head.split(" ", 1)[0])
        if word in glosses:
            continue
        for g in body.split("/"):
            g = re.sub(r"^(\([^)]*\)\s*)+", "", g.strip())
            g = re.sub(r"\s*\([^)]*\)$", "", g).strip()
            if g and not g.startswith("EntL") and g != "(P)":
                glosses[word] = g
                break
    return glosses


def cutlet_spellings(terms):
    try:
        import cutlet
    except ImportError:
        return None
    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = True
    out = {}
    for t in terms:
        try:
            out[t] = katsu.romaji(t.replace("・", " ")).strip()
        except Exception:
            pass
    return out


def default_index():
    env = os.environ
    if env.get("HASHI_EDICT_INDEX"):
        return env["HASHI_EDICT_INDEX"]
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local/share")
    return os.path.join(base, "hashi/edict.idx")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hashi", default=None)
    ap.add_argument("--edict-index", default=None)
    ap.add_argument("--limit", type=int, default=1)
    ap.add_argument("--errors", type=int, default=0, help="print K answers of --system that are wrong where translit is right")
    ap.add_argument("--system", default=None, help="system whose errors --errors prints (default: the first hashi run)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    hashi = args.hashi or next((str(p) for p in [ROOT / ".build/release/hashi", ROOT / ".build/debug/hashi"] if p.exists()), None)
    if not hashi:
        sys.exit("evaluate-realtext: no hashi binary (swift build -c release, or --hashi BIN)")
    index = args.edict_index or default_index()
    if not os.path.exists(index):
        index = None

    started = time.time()
    segs = segments(args.limit)
    if not segs:
        sys.exit("evaluate-realtext: no Japanese gettext catalogs found under /usr/share/locale/ja")
    # One document per catalog, one segment per line.
    docs, where = [], []
    by_catalog = {}
    for cat, en, ja in segs:
        if cat not in by_catalog:
            by_catalog[cat] = len(docs)
            docs.append([])
        k = by_catalog[cat]
        where.append((k, len(docs[k])))
        docs[k].append(ja)
    occurrences = []  # (segment index, start, end, term)
    for i, (_, _, ja) in enumerate(segs):
        for s, e in terms_of(ja):
            occurrences.append((i, s, e, ja[s:e]))
    distinct_terms = {t for *_, t in occurrences}

    answers = {}  # system -> list of answers aligned with occurrences
    runs = [("hashi+edict", index), ("hashi", None)] if index else [("hashi", None)]
    hashi_mentions = {}
    for name, idx in runs:
        mentions = run_hashi_annotate(hashi, docs, idx)
        hashi_mentions[name] = mentions
        answers[name] = [hashi_answer(mentions.get(where[i], []), s, e) for i, s, e, _ in occurrences]
    tl = run_transliterate(hashi, {t.replace("・", "・") for t in distinct_terms})
    answers["translit"] = [tl.get(t) for *_, t in occurrences]
    eg = edict_first_glosses()
    if eg:
        answers["edict-first"] = [eg.get(unicodedata.normalize("NFKC", t)) or eg.get(t.replace("・", "")) for *_, t in occurrences]
    cs = cutlet_spellings(distinct_terms)
    if cs is not None:
        answers["cutlet"] = [cs.get(t) for *_, t in occurrences]

    # Chance: each segment's answers against the English of a segment of another catalog.
    n = len(segs)
    def unrelated(i):
        j = (i + n // 2) % n
        while segs[j][0] == segs[i][0] and j != i:
            j = (j + 1) % n
        return j

    rows = {}
    for name, ans in answers.items():
        answered = sum(1 for a in ans if a)
        ok = [verified(a, segs[i][1]) if a else False for a, (i, *_rest) in zip(ans, occurrences)]
        chance = sum(1 for a, (i, *_r) in zip(ans, occurrences) if a and verified(a, segs[unrelated(i)][1]))
        distinct = len({t for good, (*_x, t) in zip(ok, occurrences) if good})
        rows[name] = {
            "answered": answered, "verified": sum(ok), "precision": sum(ok) / answered if answered else 0.0,
            "coverage": sum(ok) / len(occurrences) if occurrences else 0.0, "distinct": distinct,
            "chance": chance / answered if answered else 0.0,
        }

    # Latin false links (by the first hashi run: with the index when there is one).
    latin_tokens = sum(len(LATIN.findall(ja)) for _, _, ja in segs)
    false_links = Counter()
    main_run = runs[0][0]
    for (k, li), mentions in hashi_mentions[main_run].items():
        i = None
        for m in mentions:
            surface, en, match = m[4], m[5], m[6]
            if not en or not re.fullmatch(r"[A-Za-z][A-Za-z0-9 _+\-.]*", surface):
                continue
            # The word itself (PATTERN -> pattern), or a form of it (debug -> debugging).
            if en.lower().startswith(surface.lower()) and (en == surface or en.islower()):
                continue
            if i is None:
                i = next(x for x, w in enumerate(where) if w == (k, li))
            if en in segs[i][1]:
                continue
            false_links[(surface, en)] += 1
    false_total = sum(false_links.values())
    elapsed = time.time() - started

    report = {
        "segments": n, "catalogs": len(docs), "term_occurrences": len(occurrences), "distinct_terms": len(distinct_terms),
        "systems": rows, "latin_tokens": latin_tokens, "latin_false_links": false_total,
        "latin_false_per_1000": 1000 * false_total / latin_tokens if latin_tokens else 0.0,
        "top_false_links": [f"{s} -> {e} ({c})" for (s, e), c in false_links.most_common(15)],
        "seconds": round(elapsed, 1), "edict_index": index,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"{n} segments from {len(docs)} catalogs; {len(occurrences)} katakana term occurrences, "
              f"{len(distinct_terms)} distinct; {elapsed:.0f} s")
        print(f"{'system':<12} {'answered':>8} {'verified':>8} {'precision':>9} {'coverage':>8} {'distinct':>8} {'chance':>7}")
        for name, r in rows.items():
            print(f"{name:<12} {r['answered']:>8} {r['verified']:>8} {r['precision']:>9.3f} {r['coverage']:>8.3f} "
                  f"{r['distinct']:>8} {r['chance']:>7.3f}")
        print(f"Latin false links ({main_run}): {false_total} in {latin_tokens} Latin tokens = "
              f"{report['latin_false_per_1000']:.2f} per 1000")
        for line in report["top_false_links"]:
            print(f"  {line}")
    shown_system = args.system or main_run
    if args.errors and shown_system in answers:
        shown = 0
        tl_ans = answers["translit"]
        for (i, s, e, t), a, b in zip(occurrences, answers[shown_system], tl_ans):
            if a and not verified(a, segs[i][1]) and verified(b, segs[i][1]):
                print(f"  WRONG {t} -> {a!r} (translit {b!r}) | {segs[i][1][:90]}")
                shown += 1
                if shown >= args.errors:
                    break
    if args.check:
        failures = []
        base = rows["translit"]["precision"]
        if "hashi+edict" not in rows:
            failures.append("no EDICT index (run hashi dict import)")
        elif rows["hashi+edict"]["precision"] < base:
            failures.append(f"hashi+edict precision {rows['hashi+edict']['precision']:.3f} < translit {base:.3f}")
        if rows["hashi"]["precision"] < base:
            failures.append(f"hashi (no index) precision {rows['hashi']['precision']:.3f} < translit {base:.3f}")
        if failures:
            print("evaluate-realtext: FAILED: " + "; ".join(failures), file=sys.stderr)
            sys.exit(1)
        print("evaluate-realtext: check passed")


if __name__ == "__main__":
    main()
