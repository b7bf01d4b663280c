#!/usr/bin/env python3
"""Score a Japanese word segmentation against CoNLL-U gold words.

The gold file is a CoNLL-U treebank (by default UD Japanese-GSD dev, read from
``../shared/data/ud-japanese-gsd/ja_gsd-ud-dev.conllu`` relative to the repo
root). Each sentence's raw text comes from its ``# text = ...`` comment.

Gold units
  --unit short  gold words are the FORM column (UniDic short units in GSD).
  --unit long   gold words are long units rebuilt from MISC ``LUWBILabel``:
                ``B`` starts a new long unit, ``I`` continues the current one.
Multiword-token lines (``3-4``) and empty nodes (``3.1``) are skipped.

The segmentation under test
  --cmd "COMMAND"  a shell command that reads the sentences on stdin, one per
                   line, and prints one line per input line with the tokens
                   separated by spaces (MeCab ``-Owakati`` style).
  --pred FILE      the same output, already computed (``-`` for stdin).
Whitespace in the input is not a token. The output must have one line per
sentence, and each line's tokens, concatenated, must equal the sentence with
its whitespace removed; the first mismatch is reported and the exit status is 1.

Metrics (micro-averaged over the corpus, on each sentence's character string
with whitespace removed)
  boundary  precision/recall/F1 of inner cut positions (not 0, not the end).
  token     precision/recall/F1 of exact word spans.
  katakana  restricted to all-katakana words (every character in U+30A0-30FF,
            U+31F0-31FF or U+FF66-FF9F, so ー and ・ count): recall = gold
            katakana words whose span is predicted / gold katakana words;
            precision = predicted katakana tokens whose span is a gold word /
            predicted katakana tokens.

Examples
  scripts/evaluate.py --cmd "mecab -d /var/lib/mecab/dic/ipadic-utf8 -Owakati" --name mecab
  scripts/evaluate.py --unit long --cmd "hashi tokenize --unit long --format text -"
  scripts/evaluate.py --print-text > dev.txt; mytool < dev.txt > dev.pred
  scripts/evaluate.py --pred dev.pred --errors 20
  scripts/evaluate.py --pred dev.pred --json

Exit status: 0 on success, 1 if the segmentation does not match the input
(line count or characters) or the command fails, 2 on usage or gold errors.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO_ROOT.parent / "shared" / "data" / "ud-japanese-gsd" / "ja_gsd-ud-dev.conllu"

Span = tuple[int, int]


class EvalError(Exception):
    """A problem with the input data; carries the exit status to use."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------
# Gold data


@dataclass
class Sentence:
    sent_id: str
    text: str                                   # raw text as in '# text ='
    short: list[str] = field(default_factory=list)
    luw_labels: list[str | None] = field(default_factory=list)

    def words(self, unit: str) -> list[str]:
        if unit == "short":
            return self.short
        units: list[str] = []
        for i, (form, label) in enumerate(zip(self.short, self.luw_labels)):
            if label is None:
                raise EvalError(
                    f"gold sentence {self.sent_id}: word {i + 1} ({form!r}) has no "
                    "LUWBILabel in MISC; --unit long needs it", 2)
            if label == "I" and units:
                units[-1] += form
            else:  # 'B', or an 'I' that opens a sentence
                units.append(form)
        return units


def misc_fields(misc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if misc == "_":
        return out
    for item in misc.split("|"):
        key, sep, value = item.partition("=")
        if sep:
            out[key] = value
    return out


def read_conllu(path: Path) -> list[Sentence]:
    """Read sentences (id, text, word forms, LUW labels) from a CoNLL-U file."""
    sentences: list[Sentence] = []
    sent_id = ""
    text: str | None = None
    forms: list[str] = []
    labels: list[str | None] = []
    space_after: list[bool] = []

    def flush(lineno: int) -> None:
        nonlocal sent_id, text, forms, labels, space_after
        if forms:
            if text is None:  # no '# text' comment: rebuild it from SpaceAfter
                text = "".join(f + (" " if sp else "") for f, sp in zip(forms, space_after)).rstrip()
            sid = sent_id or f"#{len(sentences) + 1} (ends line {lineno})"
            sentences.append(Sentence(sid, text, forms, labels))
        sent_id, text, forms, labels, space_after = "", None, [], [], []

    with path.open(encoding="utf-8") as fh:
        lineno = 0
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                flush(lineno)
                continue
            if line.startswith("#"):
                key, sep, value = line[1:].partition("=")
                key = key.strip()
                if sep and key == "text":
                    text = value[1:] if value.startswith(" ") else value
                elif sep and key == "sent_id":
                    sent_id = value.strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise EvalError(f"{path}:{lineno}: expected 10 tab-separated columns, got {len(cols)}", 2)
            if "-" in cols[0] or "." in cols[0]:
                continue  # multiword token range or empty node
            misc = misc_fields(cols[9])
            forms.append(cols[1])
            labels.append(misc.get("LUWBILabel"))
            space_after.append(misc.get("SpaceAfter") != "No")
        flush(lineno + 1)
    return sentences


# --------------------------------------------------------------------------
# Segmentation helpers


def strip_ws(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def spans_of(tokens: list[str]) -> list[Span]:
    spans = []
    pos = 0
    for tok in tokens:
        spans.append((pos, pos + len(tok)))
        pos += len(tok)
    return spans


def inner_boundaries(spans: list[Span]) -> set[int]:
    return {end for _, end in spans[:-1]}


def is_katakana_char(ch: str) -> bool:
    cp = ord(ch)
    return 0x30A0 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F


def is_katakana_word(word: str) -> bool:
    return bool(word) and all(is_katakana_char(ch) for ch in word)


def first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def pad(s: str, width: int, right: bool = False) -> str:
    """Pad to a terminal display width (East Asian wide characters count 2)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
    fill = " " * max(0, width - shown)
    return fill + s if right else s + fill


def excerpt(s: str, at: int, width: int = 20) -> str:
    lo = max(0, at - width)
    hi = at + width
    return ("…" if lo > 0 else "") + s[lo:hi] + ("…" if hi < len(s) else "")


# --------------------------------------------------------------------------
# Prediction input


def run_command(cmd: str, sentences: list[Sentence]) -> str:
    data = "".join(s.text + "\n" for s in sentences).encode("utf-8")
    try:
        proc = subprocess.run(cmd, shell=True, input=data, stdout=subprocess.PIPE)
    except OSError as exc:
        raise EvalError(f"cannot run --cmd {cmd!r}: {exc}") from exc
    if proc.returncode != 0:
        raise EvalError(f"--cmd {cmd!r} exited with status {proc.returncode}")
    return decode(proc.stdout, f"output of --cmd {cmd!r}")


def read_pred(path: str) -> str:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "standard input")
    try:
        return decode(Path(path).read_bytes(), path)
    except OSError as exc:
        raise EvalError(f"cannot read --pred {path}: {exc}", 2) from exc


def decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvalError(f"{what} is not valid UTF-8: {exc}") from exc


def split_lines(output: str) -> list[str]:
    """Split on '\\n' only (not on U+2028 and friends); drop one final newline."""
    if output.endswith("\n"):
        output = output[:-1]
    if output == "":
        return []
    return [line[:-1] if line.endswith("\r") else line for line in output.split("\n")]


def parse_prediction(output: str, sentences: list[Sentence]) -> list[list[str]]:
    lines = split_lines(output)
    n = len(sentences)
    if n == 1 and not lines:
        lines = [""]
    if len(lines) != n:
        raise EvalError(
            f"segmentation has {len(lines)} lines but there are {n} sentences "
            "(one output line per input line is required)")
    result = []
    for i, (line, sent) in enumerate(zip(lines, sentences)):
        tokens = line.split()
        got = "".join(tokens)
        want = strip_ws(sent.text)
        if got != want:
            at = first_difference(got, want)
            raise EvalError(
                f"line {i + 1} (sent_id {sent.sent_id}): tokens do not spell the sentence; "
                f"first difference at character {at} (whitespace removed)\n"
                f"  expected: {excerpt(want, at)}\n"
                f"  got:      {excerpt(got, at)}\n"
                f"  line:     {line[:200]}")
        result.append(tokens)
    return result


# --------------------------------------------------------------------------
# Scoring


@dataclass
class PRF:
    tp_p: int = 0      # predicted items that are correct
    n_pred: int = 0
    tp_r: int = 0      # gold items that were found
    n_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_p / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_r / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "correct_pred": self.tp_p, "pred": self.n_pred,
                "correct_gold": self.tp_r, "gold": self.n_gold}


@dataclass
class Scores:
    sentences: int = 0
    gold_tokens: int = 0
    pred_tokens: int = 0
    boundary: PRF = field(default_factory=PRF)
    token: PRF = field(default_factory=PRF)
    katakana: PRF = field(default_factory=PRF)
    # missed gold katakana word -> Counter of how the prediction cut that span
    missed: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def score(sentences: list[Sentence], preds: list[list[str]], unit: str) -> Scores:
    sc = Scores()
    for sent, pred_tokens in zip(sentences, preds):
        gold_tokens = sent.words(unit)
        chars = strip_ws(sent.text)
        if "".join(gold_tokens) != chars:
            at = first_difference("".join(gold_tokens), chars)
            raise EvalError(
                f"gold sentence {sent.sent_id}: words do not spell '# text' "
                f"(first difference at character {at}: {excerpt(chars, at)})", 2)
        gold_spans = spans_of(gold_tokens)
        pred_spans = spans_of(pred_tokens)
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        gb, pb = inner_boundaries(gold_spans), inner_boundaries(pred_spans)

        sc.sentences += 1
        sc.gold_tokens += len(gold_spans)
        sc.pred_tokens += len(pred_spans)

        common_b = len(gb & pb)
        sc.boundary.tp_p += common_b
        sc.boundary.tp_r += common_b
        sc.boundary.n_pred += len(pb)
        sc.boundary.n_gold += len(gb)

        common_t = len(gold_set & pred_set)
        sc.token.tp_p += common_t
        sc.token.tp_r += common_t
        sc.token.n_pred += len(pred_set)
        sc.token.n_gold += len(gold_set)

        for word, span in zip(gold_tokens, gold_spans):
            if is_katakana_word(word):
                sc.katakana.n_gold += 1
                if span in pred_set:
                    sc.katakana.tp_r += 1
                else:
                    cut = [t for t, (s, e) in zip(pred_tokens, pred_spans)
                           if s < span[1] and e > span[0]]
                    sc.missed[word]["|".join(cut)] += 1
        for tok, span in zip(pred_tokens, pred_spans):
            if is_katakana_word(tok):
                sc.katakana.n_pred += 1
                if span in gold_set:
                    sc.katakana.tp_p += 1
    return sc


# --------------------------------------------------------------------------
# Output

COLUMNS = [("name", 22, "<"), ("unit", 5, "<"), ("sents", 6, ">"), ("gold", 7, ">"), ("pred", 7, ">")]
GROUPS = ["boundary", "token", "katakana"]


def fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def table_header() -> str:
    left = " ".join(f"{'':{w}}" for _, w, _ in COLUMNS)
    groups = " | ".join(f"{g + ' P/R/F1':<17}" for g in GROUPS)
    names = " ".join(f"{n:{a}{w}}" for n, w, a in COLUMNS)
    sub = " | ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in GROUPS)
    return f"{left} | {groups}\n{names} | {sub}"


def table_row(name: str, unit: str, sc: Scores) -> str:
    vals = [name, unit, str(sc.sentences), str(sc.gold_tokens), str(sc.pred_tokens)]
    left = " ".join(pad(v, w, right=(a == ">")) for v, (_, w, a) in zip(vals, COLUMNS))
    groups = " | ".join(f"{fmt(m.precision)} {fmt(m.recall)} {fmt(m.f1)}"
                        for m in (sc.boundary, sc.token, sc.katakana))
    return f"{left} | {groups}"


def errors_report(sc: Scores, k: int) -> str:
    total = sum(sum(c.values()) for c in sc.missed.values())
    lines = [f"most frequent missed gold katakana words ({total} misses, "
             f"{len(sc.missed)} distinct; showing up to {k}):",
             f"  {'count':>5}  {'gold word':<20} predicted as (most common cuts)"]
    ranked = sorted(sc.missed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for word, cuts in ranked[:k]:
        shown = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in cuts.most_common(3))
        lines.append(f"  {sum(cuts.values()):>5}  {pad(word, 20)} {shown}")
    return "\n".join(lines)


# --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog="See the module docstring (head -50 scripts/evaluate.py) for the metric definitions.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--cmd", metavar="COMMAND",
                     help="shell command: sentences on stdin, one space-separated line of tokens per input line on stdout")
    src.add_argument("--pred", metavar="FILE",
                     help="precomputed segmentation, one line per sentence ('-' for stdin)")
    src.add_argument("--print-text", action="store_true",
                     help="print the gold sentences' raw text, one per line, and exit")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                    help="CoNLL-U gold file (default: %(default)s)")
    ap.add_argument("--unit", choices=["short", "long"], default="short",
                    help="gold words: FORM (short, default) or LUWBILabel long units")
    ap.add_argument("--name", default=None, help="label for the table row (default: the command or file)")
    ap.add_argument("--limit", type=int, metavar="N", help="use only the first N sentences")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--no-header", action="store_true", help="print the table row without its header")
    ap.add_argument("--errors", type=int, metavar="K", default=0,
                    help="also print the K most frequent missed gold katakana words")
    ap.add_argument("--save-pred", metavar="FILE", help="write the --cmd output to FILE")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 0:
        ap.error("--limit must be >= 0")
    if args.errors < 0:
        ap.error("--errors must be >= 0")
    if not (args.cmd or args.pred or args.print_text):
        ap.error("give --cmd COMMAND or --pred FILE (or --print-text)")
    if args.save_pred and not args.cmd:
        ap.error("--save-pred needs --cmd")

    try:
        if not args.gold.is_file():
            raise EvalError(f"gold file not found: {args.gold}", 2)
        sentences = read_conllu(args.gold)
        if args.limit is not None:
            sentences = sentences[:args.limit]
        if args.print_text:
            sys.stdout.write("".join(s.text + "\n" for s in sentences))
            return 0

        if args.cmd:
            output = run_command(args.cmd, sentences)
            if args.save_pred:
                Path(args.save_pred).write_text(output, encoding="utf-8")
        else:
            output = read_pred(args.pred)
        preds = parse_prediction(output, sentences)
        sc = score(sentences, preds, args.unit)
    except EvalError as exc:
        print(f"evaluate.py: error: {exc}", file=sys.stderr)
        return exc.status

    name = args.name or args.cmd or args.pred
    if args.json:
        obj = {"name": name, "unit": args.unit, "gold_file": str(args.gold),
               "sentences": sc.sentences, "gold_tokens": sc.gold_tokens, "pred_tokens": sc.pred_tokens,
               "boundary": sc.boundary.as_dict(), "token": sc.token.as_dict(),
               "katakana": sc.katakana.as_dict()}
        if args.errors:
            ranked = sorted(sc.missed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
            obj["missed_katakana"] = [
                {"word": w, "count": sum(c.values()), "predicted_as": dict(c.most_common(3))}
                for w, c in ranked[:args.errors]]
        print(json.dumps(obj, ensure_ascii=False))
    else:
        if not args.no_header:
            print(table_header())
        print(table_row(name, args.unit, sc))
        if args.errors:
            print(errors_report(sc, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
