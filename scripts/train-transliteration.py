#!/usr/bin/env python3
"""Train Hashi's katakana → English back-transliteration model.

Writes dictionaries/transliteration/model.bin from the installed EDICT
(apt-get install edict; CC BY-SA 4.0, Electronic Dictionary Research and
Development Group) and Debian's English word list (apt-get install wamerican).
Python 3 standard library only; runs offline in a minute or two. The same
inputs give the same bytes.

Steps:
  1. EDICT entries whose headword is katakana (ー and ・ allowed) and that are
     not marked as coming from another language; the English source word is
     the gloss (or "wasei:" note) whose consonants best match the reading.
  2. 10% of headwords (a fixed hash, see transliteration_data.is_heldout) are
     held out for evaluation and never used here, not even for the lexicon.
  3. Each katakana word is cut into units (a kana with its small kana and ー,
     ッ joined to the next kana); EM aligns units with English letter chunks of
     0 to 4 letters (a many-to-many alignment over the pairs).
  4. The Viterbi alignments become sequences of "graphones" (unit, letters),
     and an interpolated Witten-Bell n-gram model is estimated over them.
  5. The English lexicon is wamerican plus the words of the training source
     glosses, stored as a trie the decoder walks so that real words are found.

Usage: scripts/train-transliteration.py [--order 3] [--exclude-dev] [-o FILE]
  --exclude-dev also leaves out the dev 10% (for tuning decoder weights on it).
The binary format is described in dictionaries/transliteration/README.md and
Sources/HashiKit/Transliteration/TransliterationModel.swift.
"""
import argparse
import json
import math
import struct
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import transliteration_data as td  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "dictionaries/transliteration/model.bin"
MAX_CHUNK = 4
MAGIC = b"HBT1"
SCALE = 1000.0  # log-probabilities are stored as round(-ln p * SCALE)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- EM alignment -------------------------------------------------------------

def align_all(pairs, iterations: int):
    """pairs: list of (units, letters). Returns a list of graphone sequences."""
    prob: dict = {}
    # Uniform start over every (unit, chunk) pair that some lattice allows.
    for us, es in pairs:
        for i, u in enumerate(us):
            for j in range(len(es) + 1):
                for k in range(0, MAX_CHUNK + 1):
                    if j + k <= len(es):
                        prob[(u, es[j:j + k])] = 1.0
    for it in range(iterations):
        counts: dict = defaultdict(float)
        total_ll = 0.0
        for us, es in pairs:
            n, m = len(us), len(es)
            alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
            alpha[0][0] = 1.0
            for i in range(1, n + 1):
                u = us[i - 1]
                row, prev = alpha[i], alpha[i - 1]
                for j in range(m + 1):
                    s = 0.0
                    for k in range(0, min(MAX_CHUNK, j) + 1):
                        a = prev[j - k]
                        if a:
                            p = prob.get((u, es[j - k:j]))
                            if p:
                                s += a * p
                    row[j] = s
            z = alpha[n][m]
            if z <= 0:
                continue
            total_ll += math.log(z)
            beta = [[0.0] * (m + 1) for _ in range(n + 1)]
            beta[n][m] = 1.0
            for i in range(n - 1, -1, -1):
                u = us[i]
                row, nxt = beta[i], beta[i + 1]
                for j in range(m + 1):
                    s = 0.0
                    for k in range(0, min(MAX_CHUNK, m - j) + 1):
                        b = nxt[j + k]
                        if b:
                            p = prob.get((u, es[j:j + k]))
                            if p:
                                s += p * b
                    row[j] = s
            for i in range(1, n + 1):
                u = us[i - 1]
                for j in range(m + 1):
                    b = beta[i][j]
                    if not b:
                        continue
                    for k in range(0, min(MAX_CHUNK, j) + 1):
                        a = alpha[i - 1][j - k]
                        if a:
                            key = (u, es[j - k:j])
                            p = prob.get(key)
                            if p:
                                counts[key] += a * p * b / z
        # Normalize jointly (a unigram model over graphones), in a fixed order.
        total = sum(counts[k] for k in sorted(counts))
        prob = {k: counts[k] / total for k in sorted(counts) if counts[k] / total > 1e-7}
        log(f"  EM iteration {it + 1}: log-likelihood {total_ll:.1f}, {len(prob)} graphones")
    sequences = []
    for us, es in pairs:
        n, m = len(us), len(es)
        best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
        back = [[0] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(1, n + 1):
            u = us[i - 1]
            for j in range(m + 1):
                for k in range(0, min(MAX_CHUNK, j) + 1):
                    a = best[i - 1][j - k]
                    if a == -math.inf:
                        continue
                    p = prob.get((u, es[j - k:j]))
                    if p and a + math.log(p) > best[i][j]:
                        best[i][j] = a + math.log(p)
                        back[i][j] = k
        if best[n][m] == -math.inf:
            continue
        seq = []
        j = m
        for i in range(n, 0, -1):
            k = back[i][j]
            seq.append((us[i - 1], es[j - k:j]))
            j -= k
        seq.reverse()
        sequences.append(seq)
    return sequences


# --- n-gram model -------------------------------------------------------------

def estimate(sequences, ids, order: int):
    """Interpolated Witten-Bell over graphone ids; id 0 is the word boundary.

    Returns (levels, bows): levels[n][context tuple][g] = -ln P(g | context) for
    the n-grams seen in training (n = 1..order, context of length n-1), and
    bows[context] = -ln of the weight of the lower order for a context.
    """
    counts = [defaultdict(Counter) for _ in range(order + 1)]
    for seq in sequences:
        tokens = [0] * (order - 1) + [ids[g] for g in seq] + [0]
        for pos in range(order - 1, len(tokens)):
            for n in range(1, order + 1):
                context = tuple(tokens[pos - n + 1:pos])
                counts[n][context][tokens[pos]] += 1
    vocab = len(ids) + 1
    uni = counts[1][()]
    total = sum(uni.values())
    # Unigrams: add-one-half over the vocabulary (every graphone was seen).
    lower = {g: (uni.get(g, 0) + 0.5) / (total + 0.5 * vocab) for g in range(vocab)}
    levels = {1: {(): {g: -math.log(p) for g, p in lower.items()}}}
    bows = {}
    probs = {(): lower}
    for n in range(2, order + 1):
        level = {}
        new_probs = {}
        for context in sorted(counts[n]):
            followers = counts[n][context]
            c = sum(followers.values())
            t = len(followers)
            lam = c / (c + t)
            entries = {}
            table = {}
            for g in sorted(followers):
                p = lam * followers[g] / c + (1 - lam) * lower_prob(probs, bows, context[1:], g)
                entries[g] = -math.log(p)
                table[g] = p
            level[context] = entries
            new_probs[context] = table
            bows[context] = -math.log(1 - lam)
        levels[n] = level
        probs.update(new_probs)
    return levels, bows


def lower_prob(probs, bows, context, g):
    """P(g | context) by backing off through shorter contexts."""
    penalty = 0.0
    while True:
        table = probs.get(context)
        if table is not None and g in table:
            return table[g] * math.exp(-penalty)
        if context in bows:
            penalty += bows[context]
        if not context:
            return 1e-12
        context = context[1:]


# --- lexicon ------------------------------------------------------------------

def ascii_letters(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed.lower() if "a" <= c <= "z")


def gloss_word_counts(path, excluded):
    """How often each word occurs in EDICT's glosses (all entries, kanji ones too),
    leaving out every entry that has an excluded katakana form (held-out words, so
    their glosses do not leak in). A frequency proxy for ranking English words."""
    counts = Counter()
    with open(path, "rb") as f:
        raw = f.read().decode("euc_jp", errors="replace")
    for line in raw.split("\n")[1:]:
        if " /" not in line:
            continue
        head, body = line.split(" /", 1)
        forms = [head.split(" ")[0]]
        if "[" in head:
            forms += head.split("[", 1)[1].rstrip("] ").split(";")
        if any(excluded(td.nfkc(f.split("(")[0])) for f in forms):
            continue
        for field in body.split("/"):
            if field.startswith("EntL"):
                continue
            for word in field.replace("-", " ").split():
                w = ascii_letters(word)
                if w:
                    counts[w] += 1
    return counts


def build_lexicon(train_sources, counts):
    """{word: flags}: bit 0 = in wamerican, bit 1 = a word of a training source
    gloss, bits 2..7 = round(4 * log2(1 + count in EDICT glosses)), at most 63."""
    words: dict = {}
    with open(td.WORDLIST, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            # No possessives, no abbreviations (all capitals), nothing under three
            # letters (wamerican's "er", "ut" would let compounds split anywhere).
            if not line or "'" in line or (len(line) > 1 and line.isupper()):
                continue
            w = ascii_letters(line)
            if len(w) >= 3:
                words[w] = words.get(w, 0) | 1
    for source in train_sources:
        for part in source.replace("-", " ").split():
            w = ascii_letters(part)
            if len(w) >= 2:
                words[w] = words.get(w, 0) | 2
    for w in words:
        words[w] |= min(63, round(4 * math.log2(1 + counts.get(w, 0)))) << 2
    return words


def build_trie(words):
    """Breadth-first trie: children of a node are contiguous and sorted."""
    root = {}
    for w in sorted(words):
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = words[w]
    first, count, letter, flags = [], [], [], []
    queue = [(root, 0)]
    first.append(0), count.append(0), letter.append(0), flags.append(root.get("", 0))
    head = 0
    while head < len(queue):
        node, index = queue[head]
        head += 1
        kids = sorted(k for k in node if k)
        first[index] = len(letter)
        count[index] = len(kids)
        for k in kids:
            child = node[k]
            queue.append((child, len(letter)))
            first.append(0), count.append(0), letter.append(ord(k)), flags.append(child.get("", 0))
    return first, count, letter, flags


# --- binary output ------------------------------------------------------------

def q(value: float) -> int:
    return max(0, min(65535, round(value * SCALE)))


def write_model(path: Path, order, unit_list, graphones, levels, bows, trie, info):
    """See dictionaries/transliteration/README.md for the layout."""
    sections = []

    def add(data: bytes):
        sections.append(data)

    unit_id = {u: i for i, u in enumerate(unit_list)}
    # 1 units: offsets (U+1 u32) into UTF-8 blob, sorted by UTF-8 bytes
    blob = b"".join(u.encode() for u in unit_list)
    offs, pos = [], 0
    for u in unit_list:
        offs.append(pos)
        pos += len(u.encode())
    offs.append(pos)
    add(struct.pack(f"<{len(offs)}I", *offs))
    add(blob)
    # 2 graphones (ids 1..G; 0 = boundary): unit u16, length u8, letters[5] -> 8 bytes
    rec = bytearray()
    rec += b"\0" * 8
    for u, e in graphones:
        rec += struct.pack("<HB5s", unit_id[u], len(e), e.encode())
    add(bytes(rec))
    # 3 first graphone id per unit (U+1 u32)
    starts = []
    gi = 1
    for i, u in enumerate(unit_list):
        starts.append(gi)
        while gi <= len(graphones) and graphones[gi - 1][0] == u:
            gi += 1
    starts.append(gi)
    add(struct.pack(f"<{len(starts)}I", *starts))
    vocab = len(graphones) + 1
    # 4 unigrams: lp u16 per id
    uni = levels[1][()]
    add(struct.pack(f"<{vocab}H", *(q(uni[g]) for g in range(vocab))))
    # 5 higher orders n = 2..order: contexts sorted by key, entries sorted by graphone
    for n in range(2, order + 1):
        contexts = sorted(levels[n], key=lambda c: context_key(c))
        keys, starts_n, cbows, entries = [], [], [], []
        for c in contexts:
            keys.append(context_key(c))
            starts_n.append(len(entries))
            cbows.append(q(bows[c]))
            for g, lp in sorted(levels[n][c].items()):
                entries.append((g, q(lp)))
        starts_n.append(len(entries))
        add(struct.pack(f"<{len(keys)}Q", *keys))
        add(struct.pack(f"<{len(starts_n)}I", *starts_n))
        add(struct.pack(f"<{len(cbows)}H", *cbows) + (b"\0\0" if len(cbows) % 2 else b""))
        add(b"".join(struct.pack("<HH", g, lp) for g, lp in entries))
        info[f"{n}-gram contexts"] = len(keys)
        info[f"{n}-grams"] = len(entries)
    # 6 trie: firstChild u32[N], then letter u8[N], childCount u8[N], flags u8[N]
    first, count, letter, flags = trie
    add(struct.pack(f"<{len(first)}I", *first))
    add(bytes(letter) + bytes(count) + bytes(flags))

    counts = [len(unit_list), vocab, order, len(first)]
    header_len = 4 + 4 * 4 + 4 * (len(sections) + 1)
    table, pos = [], header_len
    padded = []
    for s in sections:
        pad = (-pos) % 8
        padded.append(b"\0" * pad + s)
        pos += pad
        table.append(pos)
        pos += len(s)
    table.append(pos)
    header = MAGIC + struct.pack("<4I", *counts) + struct.pack(f"<{len(table)}I", *table)
    assert len(header) == header_len
    data = header + b"".join(padded)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def context_key(context) -> int:
    key = 0
    for g in context:
        key = (key << 16) | g
    return key


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", default=str(OUTPUT))
    ap.add_argument("--order", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=6)
    ap.add_argument("--exclude-dev", action="store_true")
    ap.add_argument("--edict", default=td.EDICT)
    ap.add_argument("--alignments", help="cache file for the EM alignments (for experiments with the rest)")
    args = ap.parse_args()

    rows = list(td.read_edict(args.edict, romanize=td.simple_romaji))
    train = [(k, e) for k, e, _ in rows
             if not td.is_heldout(k) and not (args.exclude_dev and td.is_dev(k))]
    log(f"{len(rows)} katakana loanword pairs, {len(train)} for training")
    pairs = []
    for k, e in train:
        us = td.units(k.replace(td.DOT, ""))
        es = td.letters(e)
        if es and len(es) <= MAX_CHUNK * len(us):
            pairs.append((us, es))
    cache = Path(args.alignments) if args.alignments else None
    if cache and cache.exists():
        sequences = [[tuple(g) for g in seq] for seq in json.loads(cache.read_text())]
        log(f"alignments read from {cache}")
    else:
        sequences = align_all(pairs, args.iterations)
        if cache:
            cache.write_text(json.dumps(sequences, ensure_ascii=False))
    log(f"aligned {len(sequences)} pairs")

    graphone_counts = Counter(g for seq in sequences for g in seq)
    unit_list = sorted({u for seq in sequences for u, _ in seq}, key=lambda u: u.encode())
    order_of_unit = {u: i for i, u in enumerate(unit_list)}
    graphones = sorted(graphone_counts, key=lambda g: (order_of_unit[g[0]], g[1]))
    assert len(graphones) < 65535
    ids = {g: i + 1 for i, g in enumerate(graphones)}
    levels, bows = estimate(sequences, ids, args.order)

    def excluded(form):
        return td.is_katakana_word(form) and (
            td.is_heldout(form) or (args.exclude_dev and td.is_dev(form)))
    counts = gloss_word_counts(args.edict, excluded)
    lexicon = build_lexicon((e for _, e in train), counts)
    trie = build_trie(lexicon)
    info = {"units": len(unit_list), "graphones": len(graphones), "lexicon words": len(lexicon),
            "trie nodes": len(trie[0])}
    size = write_model(Path(args.output), args.order, unit_list, graphones, levels, bows, trie, info)
    for k, v in info.items():
        log(f"  {k}: {v}")
    log(f"wrote {args.output}: {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
