#!/usr/bin/env python3
"""Check that `hashi graph` output loads in networkx and Graphviz as intended.

Usage: scripts/check-graph.py [--require-dot] [HASHI]

HASHI is the hashi executable (default: .build/debug/hashi). Run from the
repository root (it reads corpora/*.txt). Needs networkx (pip install
networkx); with Graphviz's `dot` on PATH the DOT and SVG outputs are checked
too (--require-dot makes a missing `dot` an error, as in CI).

Checks
  * a small hand-made text: exact nodes, edges, counts, weights (NPMI),
    relation attributes, in JSON (node_link_graph) and GraphML (read_graphml),
    with sentence and paragraph windows;
  * the corpus (corpora/*.txt): the GraphML and the JSON load as the same
    graph with the same typed attributes; every weight equals the NPMI
    recomputed from window_count, the nodes' windows and the edge's count;
    labels are bilingual; kinds agree with count and relation; filters
    (--min-count, --top, --types) hold;
  * DOT rendered by `dot -Tsvg`, and `hashi graph --format svg`: well-formed
    SVG with one node group per node and one edge group per edge.
Exits 1 with a message at the first failure.
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import networkx as nx

SMALL = "ファーウェイとエヌビディア。中国の話。\nエヌビディアと日本。\n\nファーウェイと中国。\n"


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def hashi(binary, args, stdin=None):
    env = dict(os.environ)
    env["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-test.idx"
    env.pop("HASHI_DICT", None)
    result = subprocess.run([binary, "graph"] + args, input=stdin.encode() if stdin else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    expect(result.returncode == 0, f"hashi graph {' '.join(args)} failed: {result.stderr.decode()}")
    return result.stdout


def load_json(data):
    document = json.loads(data)
    try:
        return document, nx.node_link_graph(document, edges="links")
    except TypeError:  # networkx < 3.4
        return document, nx.node_link_graph(document)


def load_graphml(data):
    with tempfile.NamedTemporaryFile(suffix=".graphml") as f:
        f.write(data)
        f.flush()
        return nx.read_graphml(f.name)


def edge(g, a, b):
    expect(g.has_edge(a, b), f"missing edge {a} -- {b}")
    return g.edges[a, b]


def check_small(binary):
    _, from_json = load_json(hashi(binary, ["-"], SMALL))
    from_graphml = load_graphml(hashi(binary, ["--format", "graphml", "-"], SMALL))
    for g in (from_json, from_graphml):
        expect(not g.is_directed() and not g.is_multigraph(), "graph must be simple and undirected")
        expect(sorted(g.nodes) == ["china", "huawei", "japan", "nvidia"], f"nodes: {sorted(g.nodes)}")
        expect(g.number_of_edges() == 3, f"edges: {sorted(g.edges)}")
        expect(g.graph["window"] == "sentence" and g.graph["window_count"] == 4, f"graph: {g.graph}")
        huawei = g.nodes["huawei"]
        expect(huawei["label"] == "Huawei / ファーウェイ" and huawei["type"] == "ORG", f"huawei: {huawei}")
        expect(huawei["mentions"] == 2 and huawei["windows"] == 2 and huawei["wikidata"] == "Q160120", f"huawei: {huawei}")
        expect(isinstance(huawei["mentions"], int), "mentions must be an int")
        related = edge(g, "china", "huawei")
        expect(related["kind"] == "cooccurrence+relation" and related["relation"] == "country"
               and related["relation_from"] == "huawei" and related["count"] == 1, f"china-huawei: {related}")
        # huawei 2/4, china 2/4, together 1/4: independent, npmi 0.
        expect(related["weight"] == 0.0, f"china-huawei weight: {related}")
        # japan 1/4, nvidia 2/4, together 1/4: pmi log 2, npmi log 2 / log 4 = 0.5.
        pair = edge(g, "japan", "nvidia")
        expect(isinstance(pair["weight"], float) and pair["weight"] == 0.5 and pair["kind"] == "cooccurrence", f"japan-nvidia: {pair}")
    paragraph = load_graphml(hashi(binary, ["--format", "graphml", "--window", "paragraph", "-"], SMALL))
    expect(paragraph.graph["window_count"] == 2 and paragraph.number_of_edges() == 6, f"paragraph: {paragraph.graph}, {list(paragraph.edges)}")
    together = edge(paragraph, "china", "huawei")
    expect(together["count"] == 2 and together["weight"] == 1.0, f"paragraph china-huawei: {together}")


def npmi(xy, x, y, n):
    if xy == 0:
        return -1.0
    if xy == n:
        return 1.0
    pxy, px, py = xy / n, x / n, y / n
    return max(-1.0, min(1.0, math.log(pxy / (px * py)) / -math.log(pxy)))


def check_corpus(binary, files):
    document, from_json = load_json(hashi(binary, files))
    from_graphml = load_graphml(hashi(binary, ["--format", "graphml"] + files))
    expect(len(document["nodes"]) == from_json.number_of_nodes() == from_graphml.number_of_nodes(), "node counts differ")
    expect(len(document["links"]) == from_json.number_of_edges() == from_graphml.number_of_edges(), "edge counts differ")
    # A missing QID is null in JSON and absent in GraphML.
    json_nodes = {v: {k: x for k, x in d.items() if x is not None} for v, d in from_json.nodes(data=True)}
    graphml_nodes = dict(from_graphml.nodes(data=True))
    for v in json_nodes:
        expect(json_nodes[v] == graphml_nodes.get(v), f"node {v} differs: JSON {json_nodes[v]} GraphML {graphml_nodes.get(v)}")
    json_edges = {tuple(sorted((a, b))): d for a, b, d in from_json.edges(data=True)}
    graphml_edges = {tuple(sorted((a, b))): d for a, b, d in from_graphml.edges(data=True)}
    graphml_edges = {k: {a: v for a, v in d.items() if a != "id"} for k, d in graphml_edges.items()}
    expect(json_edges == graphml_edges, "edge attributes differ between JSON and GraphML")
    graphml_graph = {k: v for k, v in from_graphml.graph.items() if k not in ("node_default", "edge_default")}
    expect(graphml_graph == from_json.graph, f"graph attributes differ: {graphml_graph} {from_json.graph}")
    g = from_graphml
    n = g.graph["window_count"]
    expect(g.graph["document_count"] == len(files), f"document_count {g.graph['document_count']}")
    for node, d in g.nodes(data=True):
        for key, kind in (("mentions", int), ("documents", int), ("windows", int), ("label", str), ("type", str)):
            expect(isinstance(d[key], kind), f"{node}.{key} is {type(d[key]).__name__}")
        expect(d["type"] in ("ORG", "PRODUCT", "PERSON", "PLACE", "TERM"), f"{node} type {d['type']}")
        expect(d["label"] in (d["en"], f"{d['en']} / {d['ja']}"), f"{node} label {d['label']}")
        expect(1 <= d["documents"] <= d["windows"] <= d["mentions"], f"{node} counts {d}")
    kinds = {}
    for a, b, d in g.edges(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
        expected = npmi(d["count"], g.nodes[a]["windows"], g.nodes[b]["windows"], n)
        expect(abs(d["weight"] - expected) <= 5e-5, f"{a}-{b} weight {d['weight']} != npmi {expected:.6f}")
        expect((d["count"] > 0) == ("cooccurrence" in d["kind"]), f"{a}-{b} kind {d['kind']} count {d['count']}")
        expect(bool(d["relation"]) == ("relation" in d["kind"]), f"{a}-{b} kind {d['kind']} relation {d['relation']!r}")
        if d["relation"]:
            expect(set(d["relation_from"].split(";")) <= {a, b}, f"{a}-{b} relation_from {d['relation_from']}")
    expect(kinds.get("cooccurrence", 0) > 0 and kinds.get("cooccurrence+relation", 0) > 0, f"kinds: {kinds}")
    expect(edge(g, "huawei", "china")["relation"] != "", "huawei-china should carry the country relation")

    filtered = load_graphml(hashi(binary, ["--format", "graphml", "--min-count", "2", "--top", "20", "--types", "ORG,PERSON,PLACE"] + files))
    cooccurrence = [d for _, _, d in filtered.edges(data=True) if d["kind"] == "cooccurrence"]
    expect(len(cooccurrence) <= 20 and all(d["count"] >= 2 for d in cooccurrence), "--min-count/--top not applied")
    expect(all(d["type"] in ("ORG", "PERSON", "PLACE") for _, d in filtered.nodes(data=True)), "--types not applied")
    expect(all(filtered.degree(v) > 0 for v in filtered.nodes), "a filtered graph keeps only connected entities")
    print(f"corpus ({len(files)} files, {n} sentences): {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}); filtered: "
          f"{filtered.number_of_nodes()} nodes, {filtered.number_of_edges()} edges")
    return g


def svg_groups(svg):
    root = ET.fromstring(svg)
    groups = [e for e in root.iter("{http://www.w3.org/2000/svg}g")]
    return (sum(1 for e in groups if e.get("class") == "node"), sum(1 for e in groups if e.get("class") == "edge"))


def check_dot(binary, files, dot):
    args = ["--min-count", "2"] + files
    # Drawings keep the 60 most mentioned entities unless --max-nodes says otherwise;
    # GraphML keeps all, so the same limit is asked of it for the comparison.
    g = load_graphml(hashi(binary, ["--format", "graphml", "--max-nodes", "60"] + args))
    expect(g.number_of_nodes() <= 60, f"--max-nodes 60 kept {g.number_of_nodes()} nodes")
    source = hashi(binary, ["--format", "dot"] + args)
    rendered = subprocess.run([dot, "-Tsvg"], input=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    expect(rendered.returncode == 0, f"dot failed: {rendered.stderr.decode()}")
    for svg in (rendered.stdout, hashi(binary, ["--format", "svg"] + args)):
        nodes, edges = svg_groups(svg)
        expect((nodes, edges) == (g.number_of_nodes(), g.number_of_edges()),
               f"SVG has {nodes} nodes and {edges} edges, the graph {g.number_of_nodes()} and {g.number_of_edges()}")
        expect("Huawei / ファーウェイ" in svg.decode(), "SVG lacks the bilingual label")
    print(f"dot: rendered {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to SVG")


def main():
    args = sys.argv[1:]
    require_dot = "--require-dot" in args
    args = [a for a in args if a != "--require-dot"]
    binary = args[0] if args else ".build/debug/hashi"
    files = sorted(glob.glob("corpora/*.txt"))
    try:
        expect(files, "run from the repository root: no corpora/*.txt")
        check_small(binary)
        check_corpus(binary, files)
        dot = shutil.which("dot")
        if dot:
            check_dot(binary, files, dot)
        else:
            expect(not require_dot, "Graphviz's dot is not on PATH (apt-get install graphviz fonts-noto-cjk)")
            print("dot: not installed, DOT rendering not checked")
    except Failure as failure:
        print(f"check-graph: FAIL: {failure}", file=sys.stderr)
        return 1
    print("check-graph: OK (networkx %s)" % nx.__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
