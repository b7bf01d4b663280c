#!/usr/bin/env python3
"""Checks `hashi glossary` output with independent readers.

- The CSV is read with Python's csv module: the header is exactly the documented
  one, and every field of every row equals the JSON glossary of the same input
  (variants joined by |, most frequent first; numbers as written).
- The TBX is well-formed (xmllint --noout when installed, and ElementTree), in the
  TBX v3 namespace, with one conceptEntry per CSV row and the ja/en terms of each.
- pairs: two tab-separated columns, one line per row with an English side.
- The XLSX is read back with openpyxl (PyPI): one sheet, header frozen, every cell
  equal to the CSV's (count, documents and confidence as numbers). Skipped with a
  message when openpyxl is not installed.

Usage: scripts/check-glossary.py HASHI_BINARY INPUT...
Exit status 0 when every check passes; failures are listed on stderr.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HEADER = ["ja", "en", "type", "count", "documents", "reading", "romaji", "variants", "source",
          "confidence", "id", "wikidata", "context"]
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def run(binary, args, binary_output=False):
    env = dict(os.environ, HASHI_EDICT_INDEX="/nonexistent/hashi-check.idx")
    env.pop("HASHI_DICT", None)
    done = subprocess.run([binary, "glossary", "--quiet"] + args, capture_output=True, env=env)
    if done.returncode != 0:
        sys.exit(f"check-glossary: hashi glossary {' '.join(args)} failed: {done.stderr.decode()}")
    return done.stdout if binary_output else done.stdout.decode("utf-8")


def neutralized(cell):
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠") else cell


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, inputs = sys.argv[1], sys.argv[2:]
    failures = []

    doc = json.loads(run(binary, inputs + ["--format", "json"]))
    entries = doc["entries"]
    rows = list(csv.reader(io.StringIO(run(binary, inputs + ["--format", "csv"]), newline="")))
    if rows[0] != HEADER:
        failures.append(f"CSV header is {rows[0]}")
    body = rows[1:]
    if len(body) != len(entries):
        failures.append(f"CSV has {len(body)} rows, JSON {len(entries)} entries")
    for n, (row, entry) in enumerate(zip(body, entries), start=2):
        variants = sorted(entry["variants"], key=lambda v: -v["count"])  # stable: first seen among equals
        expected = {
            "ja": entry["ja"], "en": entry["en"], "type": entry["type"], "count": str(entry["count"]),
            "documents": str(entry["documents"]), "reading": entry["reading"], "romaji": entry["romaji"],
            "variants": "|".join(v["surface"] for v in variants), "source": entry["source"],
            "confidence": format(entry["confidence"], "g"), "id": entry["id"] or "",
            "wikidata": entry["wikidata"], "context": entry["context"],
        }
        for column, value in zip(HEADER, row):
            want = neutralized(expected[column])
            if column == "confidence":
                ok = float(value) == float(expected[column])
            else:
                ok = value == want
            if not ok:
                failures.append(f"CSV line {n} column {column}: {value!r} != {want!r}")
    if sum(e["count"] for e in entries) <= 0:
        failures.append("empty glossary")

    tbx_text = run(binary, inputs + ["--format", "tbx"])
    if shutil.which("xmllint"):
        lint = subprocess.run(["xmllint", "--noout", "-"], input=tbx_text.encode(), capture_output=True)
        if lint.returncode != 0:
            failures.append("xmllint: " + lint.stderr.decode().strip())
    else:
        print("check-glossary: xmllint not installed (Debian libxml2-utils); ElementTree only", file=sys.stderr)
    root = ET.fromstring(tbx_text.encode())
    if root.tag != f"{{{TBX_NS}}}tbx" or root.get("type") != "TBX-Basic" or root.get("style") != "dca":
        failures.append(f"TBX root is {root.tag} {root.attrib}")
    concepts = root.findall(f".//{{{TBX_NS}}}conceptEntry")
    if len(concepts) != len(body):
        failures.append(f"TBX has {len(concepts)} conceptEntry, CSV {len(body)} rows")
    for concept, row in zip(concepts, body):
        terms = {}
        for lang_sec in concept.findall(f"{{{TBX_NS}}}langSec"):
            lang = lang_sec.get(f"{{{XML_NS}}}lang")
            terms[lang] = [t.text for t in lang_sec.findall(f"{{{TBX_NS}}}termSec/{{{TBX_NS}}}term")]
        ja = row[0][1:] if row[0].startswith("'") else row[0]
        if not terms.get("ja") or terms["ja"][0] != ja:
            failures.append(f"TBX {concept.get('id')}: ja terms {terms.get('ja')} do not start with {ja!r}")
        if row[1] and terms.get("en") != [row[1]]:
            failures.append(f"TBX {concept.get('id')}: en terms {terms.get('en')} != {row[1]!r}")

    try:
        import openpyxl
    except ImportError:
        openpyxl = None
        print("check-glossary: openpyxl not installed (pip install openpyxl); XLSX not checked", file=sys.stderr)
    if openpyxl is not None:
        workbook = openpyxl.load_workbook(io.BytesIO(run(binary, inputs + ["--format", "xlsx"], binary_output=True)))
        sheet = workbook.active
        if len(workbook.sheetnames) != 1 or sheet.freeze_panes != "A2":
            failures.append(f"XLSX: sheets {workbook.sheetnames}, frozen at {sheet.freeze_panes}")
        cells = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
        if not cells or list(cells[0]) != HEADER:
            failures.append(f"XLSX header is {cells[:1]}")
        if len(cells) - 1 != len(body):
            failures.append(f"XLSX has {len(cells) - 1} rows, CSV {len(body)}")
        for n, (got, row) in enumerate(zip(cells[1:], body), start=2):
            for column, value, want in zip(HEADER, list(got) + [""] * (len(HEADER) - len(got)), row):
                if column in ("count", "documents", "confidence"):
                    ok = isinstance(value, (int, float)) and float(value) == float(want)
                else:
                    ok = isinstance(value, str) and neutralized(value) == want
                if not ok:
                    failures.append(f"XLSX row {n} column {column}: {value!r} != {want!r}")

    pairs = run(binary, inputs + ["--format", "pairs"]).splitlines()
    with_en = [r for r in body if r[1]]
    if len(pairs) != len(with_en) or any(len(p.split("\t")) != 2 for p in pairs):
        failures.append(f"pairs: {len(pairs)} lines for {len(with_en)} rows with English")

    for failure in failures[:40]:
        print("check-glossary: " + failure, file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"check-glossary: ok ({len(body)} rows; CSV fields match JSON; TBX well-formed with {len(concepts)} concepts)")


if __name__ == "__main__":
    main()
