"""Every mention of a corpus as a Parquet table, for Spark SQL.

    spark-submit integrations/spark/annotate.py INPUT OUTPUT [options]

Each partition of the documents (Hashi's document order, see hashi_spark.py) is
annotated by `hashi annotate --format jsonl`; each mention becomes a row with
the same fields (document is the document's id: its path, or the record's
`id`), plus doc_seq (increasing in document order) and the columns asked for
with --columns (Parquet input). OUTPUT is a Parquet directory partitioned by
--partition-by (default: type; `month` with --month-from).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hashi_spark as hs  # noqa: E402

MENTION_FIELDS = [
    ("document", "string"), ("sentence", "int"), ("start", "int"), ("end", "int"),
    ("byte_start", "int"), ("byte_end", "int"), ("surface", "string"), ("id", "string"),
    ("en", "string"), ("type", "string"), ("source", "string"), ("match", "string"),
    ("confidence", "double"), ("guess", "string"),
]


def parse(argv):
    p = argparse.ArgumentParser(prog="annotate.py", description="hashi annotate --format jsonl on Spark, into Parquet.")
    p.add_argument("input", help="directory of text files (*.txt, *.md; *.jsonl records), a .jsonl file, or Parquet with id/text")
    p.add_argument("output", help="Parquet directory (replaced)")
    job = p.add_argument_group("job")
    job.add_argument("--partitions", type=int, help="partitions of the documents (default: 2 x default parallelism)")
    job.add_argument("--hashi", help="the hashi binary to ship (default: $HASHI_BIN, --files, or PATH)")
    job.add_argument("--input-format", choices=["auto", "parquet", "text"], default="auto")
    job.add_argument("--order-by", help="Parquet: document order by these columns (default: file, then row)")
    job.add_argument("--columns", default="", help="Parquet input: columns to copy onto every mention (e.g. date,source)")
    job.add_argument("--month-from", help="add a month column (yyyy-MM) from this date/timestamp column (copied too)")
    job.add_argument("--partition-by", help="output partition columns, comma-separated (default: month with "
                     "--month-from, else type; 'none' for none)")
    h = p.add_argument_group("hashi annotate options")
    h.add_argument("--glob", action="append", default=[])
    h.add_argument("--encoding")
    h.add_argument("--dict", action="append", default=[])
    h.add_argument("--edict-index")
    h.add_argument("--no-edict", action="store_true")
    h.add_argument("--linked-only", action="store_true")
    h.add_argument("--threads", type=int)
    h.add_argument("--keep-going", action="store_true", help="skip bad documents, report them, exit status 1")
    return p.parse_args(argv)


def schema(extra_fields):
    from pyspark.sql import types as T
    kinds = {"string": T.StringType(), "int": T.IntegerType(), "double": T.DoubleType(), "long": T.LongType()}
    fields = [T.StructField(n, kinds[t], True) for n, t in MENTION_FIELDS]
    fields.append(T.StructField("doc_seq", T.LongType(), False))
    return T.StructType(fields + list(extra_fields))


def mentions(docs, binary, hashi_argv, dict_names, edict_name, keep_going, encoding, extra_names, bad_acc):
    codec = None if not encoding or encoding.lower() == "auto" else encoding

    def annotate(index, items):
        # A generator: hashi's output goes to a file in the task's directory and is
        # read back a line at a time, so a partition's mentions never sit in memory.
        items = list(items)
        with hs.Workdir() as work:
            if codec:  # records become files in the encoding hashi is told to read
                items = [(k, (hs.FILE, d[1], d[2].encode(codec), None, d[4]) if d[0] == hs.RECORD and d[2] is not None else d)
                         for k, d in items]
            folder, args, names, bad = hs.write_documents(work, items, jsonl_chunks=False)
            if bad and not keep_going:
                raise hs.BadDocument(f"{bad[0][0]}: {bad[0][1]}")
            # One file per good document, in order: its position and extra columns.
            good = [d for _key, d in items if d[2] is not None]
            del items
            order = {path: (index << 32) | k for k, path in enumerate(args)}
            extras = {path: d[4] for path, d in zip(args, good)}
            del good
            result = os.path.join(work, "mentions.jsonl")
            open(result, "wb").close()
            if folder:
                dict_argv, dict_env = hs.dictionary_argv(dict_names, edict_name)
                argv = [hs.hashi_binary(binary), "annotate", "--format", "jsonl", *hashi_argv, *dict_argv, "--", folder]
                status, _, err = hs.run(argv, cwd=work, extra_env=dict_env, stdout_path=result)
                errors = hs.error_lines(err, names)
                if status != 0 and not (keep_going and errors):
                    raise hs.BadDocument("; ".join(errors) or f"hashi exited with status {status}: {err.strip()}")
                bad += [(None, e) for e in errors]
            for doc_id, reason in bad:
                bad_acc.add([reason if doc_id is None else f"{doc_id}: {reason}"])
            hs.maybe_fail_for_test()
            confidence = MENTION_FIELDS.index(("confidence", "double"))
            with open(result, "rb") as f:
                for line in f:
                    m = json.loads(line)
                    path = m["document"]
                    row = [names.get(path, path)] + [m.get(n) for n, _ in MENTION_FIELDS[1:]]
                    row[confidence] = float(m["confidence"])
                    row.append(order[path])
                    ex = extras[path]
                    row += [ex.get(c) for c in extra_names]
                    yield tuple(row)

    return docs.mapPartitionsWithIndex(annotate)


def annotate(spark, args):
    """Runs the job; returns the list of bad documents skipped (with --keep-going)."""
    from pyspark.accumulators import AccumulatorParam
    from pyspark.sql import functions as F

    class ListParam(AccumulatorParam):
        def zero(self, value):
            return []

        def addInPlace(self, a, b):
            return a + b

    sc = spark.sparkContext
    sc.addPyFile(hs.__file__)
    sc.addPyFile(os.path.abspath(__file__))  # its functions, when imported as a module
    binary = hs.ship_binary(sc, args.hashi)
    dict_names, edict_name = hs.split_dictionary_options(sc, args.dict, args.edict_index, args.no_edict)
    hashi_argv = ["--threads", str(hs.task_threads(sc, args.threads))]
    if args.encoding:
        hashi_argv += ["--encoding", args.encoding]
    if args.keep_going:
        hashi_argv.append("--keep-going")
    if args.linked_only:
        hashi_argv.append("--linked-only")
    columns = [c for c in args.columns.split(",") if c]
    if args.month_from and args.month_from not in columns:
        columns.append(args.month_from)
    partitions = args.partitions or 2 * sc.defaultParallelism
    docs = hs.ordered_documents(spark, args.input, partitions, args.glob, input_format=args.input_format,
                                order_by=args.order_by, columns=columns)
    extra_fields = []
    if columns:
        src = spark.read.parquet(args.input).schema
        extra_fields = [src[c] for c in columns]
    bad = sc.accumulator([], ListParam())
    rows = mentions(docs, binary, hashi_argv, dict_names, edict_name, args.keep_going, args.encoding, columns, bad)
    df = spark.createDataFrame(rows, schema(extra_fields))
    if args.month_from:
        df = df.withColumn("month", F.date_format(F.col(args.month_from), "yyyy-MM"))
    part = args.partition_by or ("month" if args.month_from else "type")
    writer = df.write.mode("overwrite")
    if part != "none":
        writer = writer.partitionBy(*part.split(","))
    writer.parquet(args.output)
    return sorted(set(bad.value))  # a recomputed task reports again


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    spark = hs.session("hashi annotate")
    try:
        bad = annotate(spark, args)
    except Exception as error:
        from glossary import _root_message
        hs.fail(_root_message(error))
    for message in bad:
        print(f"hashi-spark: skipped: {message}", file=sys.stderr)
    if bad:
        print(f"hashi-spark: {len(bad)} bad document(s) skipped (--keep-going)", file=sys.stderr)
    spark.stop()
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
