#!/usr/bin/env python3
"""Spark jobs against one-machine hashi, byte for byte (run by .ci/run).

    integrations/spark/test_spark.py PATH/TO/hashi

Spark runs in local[2] mode (local[2,2] where a task retry is tested). The
corpus is corpora/ plus one generated at run time by recombining the sentences
of corpora/*.txt into documents (text files in subdirectories, a .md file and a
.jsonl corpus), and the same records as Parquet. Checks:

1. glossary.py on corpora/ and on the generated corpus equals `hashi glossary`
   on the same input, for 1, 3 and 8 partitions and several merge fan-ins,
   in csv, json and tbx, and with the output filters;
2. glossary.py on Parquet equals `hashi glossary` on the .jsonl of the same
   rows in the same order;
3. annotate.py's Parquet holds exactly the mentions of
   `hashi annotate --format jsonl`, and the README's Spark SQL runs on it;
4. a bad document fails the job with its id in the message; with --keep-going
   the output equals `hashi glossary --keep-going` and the document is reported;
5. a task that fails once and is retried gives the same output;
6. spark-submit itself: exit status, the report, the file written.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def hashi(binary, *args, ok=(0,), stdin=None):
    p = subprocess.run([binary, *args], input=stdin.encode() if stdin else None,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in ok:
        raise SystemExit(f"hashi {' '.join(args)}: exit {p.returncode}: {p.stderr.decode()}")
    return p.stdout


def sentences():
    """The sentences of corpora/*.txt (the project's own sample texts)."""
    out = []
    for name in sorted(os.listdir(os.path.join(REPO, "corpora"))):
        if name.endswith(".txt"):
            with open(os.path.join(REPO, "corpora", name), encoding="utf-8") as f:
                for line in f:
                    out += [s for s in re.findall(r"[^。]+。?", line.strip()) if s.strip()]
    return out


def generate(root, seed=14, documents=90, records=60):
    """A corpus recombined from the sample sentences: nested text files, a .md
    file, a .jsonl corpus; returns the records (id, text, date)."""
    rng = random.Random(seed)
    pool = sentences()

    def text():
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            paragraphs.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 5))))
        return "\n".join(paragraphs) + "\n"

    for k in range(documents):
        sub = os.path.join(root, f"section-{k % 3}", "more" if k % 5 == 0 else "")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"article-{k:03d}.txt"), "w", encoding="utf-8") as f:
            f.write(text())
    with open(os.path.join(root, "notes.md"), "w", encoding="utf-8") as f:
        f.write("# メモ\n\n" + text())
    recs = []
    for k in range(records):
        rid = k if k % 4 == 0 else f"news-{k:04d}"
        recs.append((rid, text(), f"2025-{1 + k % 6:02d}-{1 + k % 27:02d}"))
    with open(os.path.join(root, "section-1", "news.jsonl"), "w", encoding="utf-8") as f:
        for k, (rid, body, _date) in enumerate(recs):
            if k == 7:
                f.write("\n")  # blank lines are skipped, as by hashi
            f.write(json.dumps({"id": rid, "text": body, "date": _date}, ensure_ascii=False) + "\n")
    return recs


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    os.environ["HASHI_BIN"] = binary
    os.environ.pop("HASHI_DICT", None)
    started = time.time()

    from pyspark.sql import SparkSession
    import glossary as G
    import annotate as A

    work = tempfile.mkdtemp(prefix="hashi-spark-test-")
    try:
        gen = os.path.join(work, "gen")
        recs = generate(gen)
        corpora = os.path.join(REPO, "corpora")
        # The jobs ship hashi's EDICT index when the driver has one; so does hashi.
        spark = (SparkSession.builder.master("local[2,2]").appName("hashi spark test")
                 .config("spark.ui.enabled", "false").config("spark.log.level", "OFF")
                 .config("spark.sql.shuffle.partitions", "4").config("spark.ui.showConsoleProgress", "false").getOrCreate())
        sc = spark.sparkContext

        def job(*argv):
            data, bad, _n = G.glossary(spark, G.parse(list(argv)))
            return data, bad

        # 1. Directories, any partition count, formats and filters.
        for name, corpus, ext, options in [
            ("corpora/", corpora, ".csv", []),
            ("generated", gen, ".csv", []),
            ("generated", gen, ".json", []),
            ("generated", gen, ".tbx", ["--sort", "ja"]),
            ("generated", gen, ".tsv", ["--linked-only", "--min-count", "2", "--types", "ORG,PRODUCT,guess", "--sort", "en"]),
        ]:
            want = hashi(binary, "glossary", corpus, "--format", ext[1:], *options)
            runs = [(1, 16), (3, 2), (8, 3)] if ext in (".csv", ".json") else [(3, 2)]
            for partitions, fan_in in runs:
                got, bad = job(corpus, "out" + ext, "--partitions", str(partitions), "--fan-in", str(fan_in), *options)
                check(got == want and not bad,
                      f"glossary {name} {ext[1:]} {' '.join(options)} {partitions} partitions, fan-in {fan_in}: "
                      f"{len(got)} bytes, same as hashi glossary")

        # The same through Spark's own readers (a URI instead of a local path).
        want = hashi(binary, "glossary", gen)
        got, _ = job("file://" + gen, "out.csv", "--partitions", "3", "--fan-in", "2")
        check(got == want, "glossary generated, read by Spark's binaryFile/text sources (file:// URI), 3 partitions: same bytes")

        # 2. Parquet (three files, in order) = the .jsonl of the same rows.
        pq = os.path.join(work, "news.parquet")
        rows = [(str(rid) if isinstance(rid, int) else rid, body, date) for rid, body, date in recs]
        (spark.createDataFrame(sc.parallelize(rows, 3), "id string, text string, date string")
         .selectExpr("id", "text", "to_date(date) AS date").write.parquet(pq))
        ref = os.path.join(work, "news.jsonl")
        with open(ref, "w", encoding="utf-8") as f:
            for rid, body, _ in rows:
                f.write(json.dumps({"id": rid, "text": body}, ensure_ascii=False) + "\n")
        want = hashi(binary, "glossary", ref)
        for partitions in (1, 4):
            got, _ = job(pq, "out.csv", "--partitions", str(partitions), "--fan-in", "2")
            check(got == want, f"glossary Parquet ({len(rows)} rows, 3 files), {partitions} partitions: same as hashi on the .jsonl")

        # 3. Mentions as Parquet = hashi annotate --format jsonl.
        mentions = os.path.join(work, "mentions")
        A.annotate(spark, A.parse([gen, mentions, "--glob", "*.txt", "--glob", "*.md", "--partitions", "3"]))
        want = [json.loads(line) for line in
                hashi(binary, "annotate", "--format", "jsonl", "--glob", "*.txt", "--glob", "*.md", gen).splitlines()]
        df = spark.read.parquet(mentions)
        got = [r.asDict() for r in df.orderBy("doc_seq", "start", "end").collect()]
        fields = [n for n, _ in A.MENTION_FIELDS]

        def norm(m):
            return tuple(m.get(n) if n != "confidence" else round(float(m[n]), 2) for n in fields)
        check([norm(m) for m in got] == [norm(m) for m in want],
              f"annotate: {len(got)} mentions in Parquet, same fields and values as hashi annotate --format jsonl")
        check(sorted(os.listdir(mentions))[:1] == ["_SUCCESS"] or any(n.startswith("type=") for n in os.listdir(mentions)),
              "annotate: output partitioned by type")

        monthly = os.path.join(work, "mentions-monthly")
        A.annotate(spark, A.parse([pq, monthly, "--month-from", "date", "--partitions", "2"]))
        m = spark.read.parquet(monthly)
        m.createOrReplaceTempView("mentions")
        want_count = 0
        for _rid, body, _ in rows[:6]:
            want_count += len(hashi(binary, "annotate", "--format", "jsonl", "-", stdin=body).splitlines())
        first_six = m.where(m.doc_seq.isin(sorted(r.doc_seq for r in m.select("doc_seq").distinct().collect())[:6])).count()
        check(first_six == want_count, f"annotate Parquet input: first 6 records give {first_six} mentions, as hashi annotate")
        top = spark.sql("""
            SELECT month, en, mentions FROM (
              SELECT month, en, count(*) AS mentions,
                     row_number() OVER (PARTITION BY month ORDER BY count(*) DESC, en) AS rank
              FROM mentions WHERE id IS NOT NULL GROUP BY month, en)
            WHERE rank <= 3 ORDER BY month, rank""").collect()
        check(len({r.month for r in top}) == 6 and len(top) == 18, "annotate: README query 'top entities per month' runs (6 months x 3)")
        pairs = spark.sql("""
            SELECT a.en AS company, b.en AS other, count(DISTINCT a.document, a.sentence) AS sentences
            FROM mentions a JOIN mentions b
              ON a.document = b.document AND a.sentence = b.sentence AND a.id < b.id
            WHERE a.type = 'ORG' AND b.type = 'ORG'
            GROUP BY a.en, b.en ORDER BY sentences DESC, company, other LIMIT 10""").collect()
        check(len(pairs) > 0, f"annotate: README query 'companies in the same sentence' runs (top: {pairs[0].company} + {pairs[0].other})" if pairs else "annotate: co-occurring companies")

        # 4. Bad documents.
        bad_dir = os.path.join(work, "bad")
        os.makedirs(bad_dir)
        for k, name in enumerate(["a.txt", "c.txt"]):
            shutil.copy(os.path.join(corpora, sorted(f for f in os.listdir(corpora) if f.endswith(".txt"))[k]),
                        os.path.join(bad_dir, name))
        with open(os.path.join(bad_dir, "b.txt"), "wb") as f:
            f.write("ファーウェイ\x00は".encode())
        with open(os.path.join(bad_dir, "d.jsonl"), "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "good-1", "text": rows[0][1]}, ensure_ascii=False) + "\n")
            f.write('{"id": "broken-2", "text": 42}\n')  # last line: hashi stops reading the file there too
        try:
            job(bad_dir, "out.csv", "--partitions", "2")
            check(False, "a bad document fails the job")
        except Exception as error:
            message = G._root_message(error)
            check(("bad/b.txt: binary file" in message) or ("bad/d.jsonl (byte offset" in message),
                  f"a bad document fails its task, naming it: {message}")
        want = hashi(binary, "glossary", "--keep-going", bad_dir, ok=(1,))
        got, bad = job(bad_dir, "out.csv", "--partitions", "2", "--keep-going")
        reported = " | ".join(G.messages(bad))
        check(got == want and "bad/b.txt" in reported and "d.jsonl" in reported and len(bad) == 2,
              f"--keep-going: same bytes as hashi glossary --keep-going; reported: {reported}")

        skipped = A.annotate(spark, A.parse([bad_dir, os.path.join(work, "bad-mentions"), "--keep-going", "--partitions", "2"]))
        good = sum(len(hashi(binary, "annotate", "--format", "jsonl", os.path.join(bad_dir, n)).splitlines())
                   for n in ("a.txt", "c.txt")) + len(hashi(binary, "annotate", "--format", "jsonl", "-", stdin=rows[0][1]).splitlines())
        count = spark.read.parquet(os.path.join(work, "bad-mentions")).count()
        check(len(skipped) == 2 and count == good,
              f"annotate --keep-going: {count} mentions of the good documents, skipped: {' | '.join(skipped)}")

        # 5. A task that fails once and is retried (local[2,2] allows one retry).
        sc.setLocalProperty("hashi.test.failOnce", "1")
        try:
            got, _ = job(gen, "out.csv", "--partitions", "3", "--fan-in", "2")
        finally:
            sc.setLocalProperty("hashi.test.failOnce", None)
        check(got == hashi(binary, "glossary", gen), "a retried task (partition 1 failed once) gives the same output")
        spark.stop()

        # 6. spark-submit: the file written, exit status and report.
        import pyspark
        submit = shutil.which("spark-submit") or os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
        out = os.path.join(work, "cli.csv")
        p = subprocess.run([submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                            os.path.join(HERE, "glossary.py"), bad_dir, out, "--keep-going", "--partitions", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        err = p.stdout.decode()  # spark-submit may pass the driver's stderr on its stdout
        with open(out, "rb") as f:
            written = f.read()
        ok = p.returncode == 1 and written == want and "hashi-spark: skipped: " in err and "bad/b.txt" in err
        check(ok, "spark-submit glossary.py --keep-going: file written, bad documents reported, exit status 1")
        if not ok:
            print(p.returncode, len(written), len(want), err[-3000:])
        p = subprocess.run([submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                            os.path.join(HERE, "glossary.py"), bad_dir, out + ".2"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        err = p.stdout.decode()  # spark-submit may pass the driver's stderr on its stdout
        last = [l for l in err.splitlines() if l.startswith("hashi-spark: error:")]
        ok = p.returncode == 1 and not os.path.exists(out + ".2") and last and "bad/" in last[-1]
        check(ok, f"spark-submit glossary.py on a bad document: exit status 1, no output, {last[-1] if last else 'no message'}")
        if not ok:
            print(p.returncode, err[-3000:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'FAILED' if failures else 'passed'}: Spark integration tests in {time.time() - started:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
