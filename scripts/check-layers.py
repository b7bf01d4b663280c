#!/usr/bin/env python3
"""Checks that HashiKit's folders depend on each other one way (no import cycle).

A folder uses another when one of its files names a type declared in the other
(top-level declarations found by a plain scan of the sources: `struct|class|enum|
protocol|typealias|actor Name` at the start of a line); `Type.member` counts for the folder whose `extension
Type` declares `member`. Prints the folder graph with --graph, and exits 1 on a
cycle, naming the files and names that close it.
Usage: scripts/check-layers.py [--graph]
"""
import os
import re
import sys
from collections import defaultdict

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Sources', 'HashiKit')
decl = re.compile(
    r'^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|package|final|indirect|nonisolated)\s+)*'
    r'(?:struct|class|enum|protocol|typealias|actor)\s+([A-Z]\w*)', re.M)
member = re.compile(
    r'^\s{4}(?:(?:public|internal|private|fileprivate|static|final|nonisolated|mutating|@inline\(__always\)|convenience|override)\s+)*'
    r'(?:func|var|let|init|subscript|struct|enum|class)\s*([A-Za-z_]\w*)?', re.M)


def folder(path):
    parts = os.path.relpath(path, root).split(os.sep)
    return '/'.join(parts[:-1]) or '.'


files = {}
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith('.swift'):
            p = os.path.join(d, n)
            text = open(p, encoding='utf-8').read()
            # Drop comments and string literals (rough, enough for names).
            text = re.sub(r'//[^\n]*', '', text)
            text = re.sub(r'"""[\s\S]*?"""', '""', text)
            text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
            files[p] = text

owner = {}
for p in sorted(files):
    for name in decl.findall(files[p]):
        owner.setdefault(name, folder(p))

ext_members = defaultdict(dict)
for p, text in files.items():
    f = folder(p)
    for m in re.finditer(r'^(?:public |internal |private |fileprivate )?extension\s+([A-Z]\w*)[^{]*\{', text, re.M):
        name = m.group(1)
        if owner.get(name) == f:
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {'{': 1, '}': -1}.get(text[i], 0)
            i += 1
        for mm in member.finditer(text[m.end():i]):
            if mm.group(1):
                ext_members[name][mm.group(1)] = f

uses = defaultdict(lambda: defaultdict(set))
word = re.compile(r'\b([A-Z]\w*)\b(?:\s*\.\s*([a-z_]\w*))?')
for p, text in files.items():
    f = folder(p)
    for name, mem in word.findall(text):
        if name not in owner:
            continue
        target = ext_members.get(name, {}).get(mem, owner[name]) if mem else owner[name]
        if target != f:
            uses[f][target].add(f"{os.path.basename(p)}: {name}{'.' + mem if mem else ''}")

folders = sorted(set(folder(p) for p in files))
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in uses[v]:
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        comps.append(comp)


for v in folders:
    if v not in index:
        strong(v)
cycles = [c for c in comps if len(c) > 1]
if '--graph' in sys.argv:
    for f in folders:
        print(f"{f} -> {', '.join(sorted(uses[f])) or '(nothing)'}")
if cycles:
    for c in cycles:
        print(f"check-layers: import cycle among {', '.join(sorted(c))}:", file=sys.stderr)
        for a in sorted(c):
            for b in sorted(c):
                if b in uses[a]:
                    print(f"  {a} -> {b}: {'; '.join(sorted(uses[a][b])[:8])}", file=sys.stderr)
    sys.exit(1)
print(f"check-layers: the {len(folders)} folders of Sources/HashiKit depend on each other one way")
