"""Shared pieces of the transliteration scripts: reading EDICT's katakana
loanwords, choosing the English source word of each, katakana units, the
train/held-out split.

Imported by scripts/train-transliteration.py and
scripts/evaluate-transliteration.py; Python 3 standard library only.
"""
import hashlib
import re
import unicodedata

EDICT = "/usr/share/edict/edict"
WORDLIST = "/usr/share/dict/american-english"

# Katakana that may stand alone in a loanword, the small ones that attach to the
# kana before them, the long-vowel mark and the sokuon.
SMALL = set("ァィゥェォャュョヮヵヶ")
SOKUON = "ッ"
CHOON = "ー"
DOT = "・"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def is_katakana_word(text: str) -> bool:
    """All katakana (U+30A1..U+30FA), ー and ・, with at least one kana."""
    if not text or all(c in "ー・" for c in text):
        return False
    return all("\u30a1" <= c <= "\u30fa" or c in "ー・" for c in text)


def units(katakana: str) -> list[str]:
    """Katakana (without ・) as units: [ッ]* kana [small kana]* [ー]*.

    コンピューター → コ ン ピュー ター; マッチ → マ ッチ. The decoder (Swift) uses the same
    rule, then backs off to shorter pieces when a unit is unknown to the model.
    """
    out: list[str] = []
    pending = ""
    for c in katakana:
        if c == SOKUON:
            pending += c
        elif c in SMALL or c == CHOON:
            if out and not pending:
                out[-1] += c
            else:
                out.append(pending + c)
                pending = ""
        else:
            out.append(pending + c)
            pending = ""
    if pending:
        out.append(pending)
    return out


def letters(english: str) -> str:
    """Lowercase a-z only: what the model spells and what evaluation compares."""
    return re.sub(r"[^a-z]", "", english.lower())


def split_key(katakana: str) -> int:
    """0..99, fixed for a headword regardless of ・ (so ウェブ・サイト and
    ウェブサイト fall on the same side)."""
    digest = hashlib.sha256(katakana.replace(DOT, "").encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100


def is_heldout(katakana: str) -> bool:
    """The evaluation's held-out 10%: the model never sees these."""
    return split_key(katakana) < 10


def is_dev(katakana: str) -> bool:
    """A further 10% used only to tune decoder weights (--dev builds leave it out)."""
    return 10 <= split_key(katakana) < 20


# --- Choosing the English source word of an entry --------------------------------

_TAG = re.compile(r"^\s*\((?:[^()]|\([^()]*\))*\)\s*")
_LANG = re.compile(r"\((?P<lang>[a-z]{3}|wasei):\s*(?P<src>[^)]*)\)")
_LANG_ONLY = re.compile(r"\((?P<lang>[a-z]{3}):\)")

# Rough phonetic skeleton: romaji and English spelling mapped onto the same
# coarse consonant classes, so that konpyuutaa and computer compare well.
_ROMAJI_RULES = [
    ("tsu", "t"), ("shi", "s"), ("chi", "c"), ("sh", "s"), ("ch", "c"), ("ts", "t"),
    ("fu", "f"), ("ji", "j"), ("dzu", "z"), ("zu", "z"), ("du", "d"),
]
_ENGLISH_RULES = [
    ("tion", "son"), ("sion", "son"), ("ph", "f"), ("th", "s"), ("ck", "k"),
    ("sh", "s"), ("ch", "c"), ("qu", "k"), ("x", "ks"), ("wh", "w"), ("gh", ""),
]
_CLASS = str.maketrans({
    "c": "k", "q": "k", "g": "k", "k": "k",
    "b": "p", "v": "p", "p": "p",
    "d": "t", "t": "t",
    "z": "s", "s": "s", "j": "s",
    "l": "r", "r": "r",
    "m": "n", "n": "n",
    "f": "f", "h": "h", "w": "w", "y": "y",
})


def _skeleton(text: str, rules) -> str:
    for a, b in rules:
        text = text.replace(a, b)
    text = text.translate(_CLASS)
    out = []
    for c in text:
        if c in "aeiouhwy":
            continue
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def similarity(romaji: str, english: str) -> float:
    """0..1 agreement of consonant skeletons (Dice coefficient on their LCS)."""
    a = _skeleton(romaji, _ROMAJI_RULES)
    b = _skeleton(letters(english), _ENGLISH_RULES)
    if not a and not b:
        return 1.0 if romaji[:1] == letters(english)[:1] else 0.0
    return 2 * _lcs(a, b) / (len(a) + len(b))


def gloss_candidates(body: str) -> tuple[list[str], bool]:
    """Glosses of an EDICT entry body (the part after the headword) cleaned of
    tags, plus whether the entry marks a non-English source language."""
    glosses = []
    foreign = False
    for m in _LANG.finditer(body):
        lang, src = m.group("lang"), m.group("src").strip()
        if lang == "wasei":
            if src:
                glosses.append(src)
        elif lang != "eng":
            foreign = True
        elif src:
            glosses.append(src)
    for m in _LANG_ONLY.finditer(body):
        if m.group("lang") != "eng":
            foreign = True
    for field in body.strip("/").split("/"):
        if field.startswith("EntL"):
            continue
        text = field
        while True:
            m = _TAG.match(text)
            if not m:
                break
            text = text[m.end():]
        text = re.sub(r"\([^()]*\)", "", text).strip()
        text = re.sub(r"^(?:to|the|a|an) ", "", text)
        if text and re.fullmatch(r"[A-Za-z][A-Za-z .'\-]*", text) and len(text) <= 40:
            glosses.append(text)
    return glosses, foreign


def read_edict(path: str = EDICT, romanize=None):
    """Yields (katakana, english, similarity) for katakana loanword entries whose
    best gloss matches the reading well enough. `romanize` maps katakana to romaji."""
    with open(path, "rb") as f:
        raw = f.read().decode("euc_jp", errors="replace")
    seen = set()
    for line in raw.split("\n")[1:]:
        if " /" not in line:
            continue
        head, body = line.split(" /", 1)
        head = head.strip()
        if " " in head:  # kanji headword with a reading: not a loanword spelling
            continue
        katakana = nfkc(head)
        if not is_katakana_word(katakana):
            continue
        glosses, foreign = gloss_candidates("/" + body)
        if foreign or not glosses:
            continue
        romaji = romanize(katakana.replace(DOT, ""))
        best = max(glosses, key=lambda g: (similarity(romaji, g), -len(g)))
        score = similarity(romaji, best)
        if score < 0.7 or not letters(best):
            continue
        key = (katakana, letters(best))
        if key in seen:
            continue
        seen.add(key)
        yield katakana, best, score


# --- A small katakana → romaji table for the similarity check -------------------

_BASE = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "wi", "ヱ": "we", "ヲ": "wo", "ン": "n", "ヴ": "vu",
    "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o",
    "ャ": "ya", "ュ": "yu", "ョ": "yo", "ヮ": "wa", "ヵ": "ka", "ヶ": "ke",
    "ッ": "", "ー": "", "・": "",
}


def simple_romaji(katakana: str) -> str:
    """Crude romaji, only for matching glosses (small kana replace the vowel)."""
    out = ""
    for c in katakana:
        r = _BASE.get(c, "")
        if c in "ャュョ" and out.endswith("i"):
            out = out[:-1] + r[1:] if out[-2:-1] in "shcj" else out[:-1] + r
        elif c in "ァィゥェォ" and out and out[-1] in "aiueo":
            out = out[:-1] + r
        else:
            out += r
    return out
