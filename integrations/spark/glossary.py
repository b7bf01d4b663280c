"""The glossary of a corpus on Spark, byte-identical to `hashi glossary` on one machine.

    spark-submit integrations/spark/glossary.py INPUT OUTPUT [options]

Each partition of the documents (in Hashi's document order, see hashi_spark.py)
is turned into a partial glossary by `hashi glossary build --format json`; the
partials are merged with `hashi glossary merge`, FAN_IN at a time, level by
level, always in document order; the last merge writes OUTPUT in the format and
with the filters asked for. Because a merge of glossaries in order equals the
glossary of the concatenated documents, OUTPUT is the same bytes for any number
of partitions.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hashi_spark as hs  # noqa: E402


def parse(argv):
    p = argparse.ArgumentParser(
        prog="glossary.py", description="hashi glossary over a corpus on Spark (same bytes as one machine).")
    p.add_argument("input", help="directory of text files (*.txt, *.md, *.jsonl), a .jsonl file, or Parquet with id/text")
    p.add_argument("output", help="the glossary file, written by the driver (format from --format or the extension)")
    job = p.add_argument_group("job")
    job.add_argument("--partitions", type=int, help="partitions of the documents (default: 2 x default parallelism)")
    job.add_argument("--fan-in", type=int, default=16, help="partial glossaries per merge (default 16)")
    job.add_argument("--hashi", help="the hashi binary to ship to the executors (default: $HASHI_BIN, "
                     "else a file named hashi shipped with --files, else hashi on the executors' PATH)")
    job.add_argument("--input-format", choices=["auto", "parquet", "text"], default="auto")
    job.add_argument("--stats", help="write the job's figures (per partition: documents, bytes, seconds) as JSON here")
    job.add_argument("--order-by", help="Parquet: document order by these columns (default: file, then row)")
    build = p.add_argument_group("hashi glossary build options")
    build.add_argument("--glob", action="append", default=[])
    build.add_argument("--encoding")
    build.add_argument("--dict", action="append", default=[])
    build.add_argument("--edict-index")
    build.add_argument("--no-edict", action="store_true")
    build.add_argument("--threads", type=int, help="hashi threads per task (default: spark.task.cpus)")
    build.add_argument("--keep-going", action="store_true",
                       help="skip bad documents, report them, write OUTPUT, exit status 1")
    build.add_argument("-q", "--quiet", action="store_true")
    out = p.add_argument_group("hashi glossary output options (applied by the last merge)")
    out.add_argument("-f", "--format", choices=["csv", "tsv", "tbx", "json", "pairs"])
    out.add_argument("--bom", action="store_true")
    out.add_argument("--min-count")
    out.add_argument("--types")
    out.add_argument("--sort")
    out.add_argument("--linked-only", action="store_true")
    args = p.parse_args(argv)
    if args.fan_in < 2:
        p.error("--fan-in must be at least 2")
    return args


def output_argv(args):
    argv = []
    if args.format:
        argv += ["--format", args.format]
    if args.bom:
        argv.append("--bom")
    for name in ("min_count", "types", "sort"):
        if getattr(args, name) is not None:
            argv += ["--" + name.replace("_", "-"), getattr(args, name)]
    if args.linked_only:
        argv.append("--linked-only")
    return argv


def partial_glossaries(docs, binary_name, build_argv, dict_names, edict_name, keep_going):
    """Per partition: (partition index, glossary JSON bytes, bad documents [(id, reason)],
    figures {documents, bytes, hashi_seconds, task_seconds})."""

    def build(index, items):
        started = time.perf_counter()
        items = list(items)
        stats = {"partition": index, "documents": len(items),
                 "bytes": sum(hs.document_bytes(d) for _, d in items), "hashi_seconds": 0.0}
        with hs.Workdir() as work:
            folder, _paths, names, bad = hs.write_documents(work, items)
            if bad and not keep_going:
                doc_id, reason = bad[0]
                raise hs.BadDocument(f"{doc_id}: {reason}")
            if folder is None:
                hs.maybe_fail_for_test()
                stats["task_seconds"] = time.perf_counter() - started
                yield (index, None, bad, stats)
                return
            hashi = hs.hashi_binary(binary_name)
            dict_argv, dict_env = hs.dictionary_argv(dict_names, edict_name)
            argv = [hashi, "glossary", "build", "--format", "json", "--quiet", *build_argv, *dict_argv, "--", folder]
            hashi_started = time.perf_counter()
            status, out, err = hs.run(argv, cwd=work, extra_env=dict_env)
            stats["hashi_seconds"] = time.perf_counter() - hashi_started
            errors = hs.error_lines(err, names)
            if status != 0 and not (keep_going and out):
                raise hs.BadDocument("; ".join(errors) or f"hashi exited with status {status}: {err.strip()}")
            bad += [(None, e) for e in errors]
            hs.maybe_fail_for_test()
        stats["task_seconds"] = time.perf_counter() - started
        yield (index, out, bad, stats)

    return docs.mapPartitionsWithIndex(build)


def merge_group(items, binary_name, argv_tail, suffix, edict_name=None):
    """Merges glossary JSONs in index order with hashi glossary merge; returns bytes.
    The last merge (argv_tail given) writes the output: it reads kanji terms'
    readings from the same EDICT index the builds used (edict_name)."""
    items = sorted(items, key=lambda kv: kv[0])
    blobs = [blob for _, blob in items if blob is not None]
    if not blobs:
        return None
    if len(blobs) == 1 and argv_tail is None:
        return blobs[0]
    with hs.Workdir() as work:
        paths = []
        for k, blob in enumerate(blobs):
            path = os.path.join(work, f"p{k:06d}.json")
            with open(path, "wb") as f:
                f.write(blob)
            paths.append(path)
        target = os.path.join(work, "merged" + suffix)
        tail = ["--format", "json"] if argv_tail is None else argv_tail
        edict_argv, edict_env = hs.dictionary_argv([], edict_name) if argv_tail is not None else ([], {})
        status, _out, err = hs.run([hs.hashi_binary(binary_name), "glossary", "merge", *tail, *edict_argv, "-o", target, "--", *paths],
                                   extra_env=edict_env)
        if status != 0:
            raise RuntimeError(f"hashi glossary merge failed ({status}): {err.strip()}")
        with open(target, "rb") as f:
            data = f.read()
    hs.maybe_fail_for_test()
    return data


def glossary(spark, args):
    """Runs the job; returns (output bytes, bad documents, figures)."""
    started = time.perf_counter()
    sc = spark.sparkContext
    sc.addPyFile(hs.__file__)
    sc.addPyFile(os.path.abspath(__file__))  # its functions, when imported as a module
    binary = hs.ship_binary(sc, args.hashi)
    dict_names, edict_name = hs.split_dictionary_options(sc, args.dict, args.edict_index, args.no_edict)
    build_argv = ["--threads", str(hs.task_threads(sc, args.threads))]
    if args.encoding:
        build_argv += ["--encoding", args.encoding]
    if args.keep_going:
        build_argv.append("--keep-going")
    final_argv = output_argv(args)
    ext = os.path.splitext(args.output)[1]
    partitions = args.partitions or 2 * sc.defaultParallelism

    docs = hs.ordered_documents(spark, args.input, partitions, args.glob, input_format=args.input_format,
                                order_by=args.order_by)
    ordered = time.perf_counter()
    partials = partial_glossaries(docs, binary, build_argv, dict_names, edict_name, args.keep_going).cache()
    per_partition = partials.map(lambda t: (t[2], t[3])).collect()
    built = time.perf_counter()
    bad = [b for bs, _ in per_partition for b in bs]
    level = partials.map(lambda t: (t[0], t[1]))
    levels = 1
    width = max(1, docs.getNumPartitions())
    fan_in = args.fan_in
    while width > fan_in:
        groups = (width + fan_in - 1) // fan_in
        level = (level.map(lambda kv: (kv[0] // fan_in, kv))
                 .groupByKey(numPartitions=min(groups, partitions))
                 .map(lambda g: (g[0], merge_group(list(g[1]), binary, None, ".json"))))
        width = groups
        levels += 1
    root = (level.map(lambda kv: (0, kv)).groupByKey(numPartitions=1)
            .map(lambda g: merge_group(list(g[1]), binary, final_argv, ext, edict_name)).collect())
    partials.unpersist()
    data = root[0] if root else None
    if data is None:
        # No document at all: the merge of one empty glossary gives hashi's empty output.
        data = _empty_glossary(sc, binary, final_argv, ext)
    done = time.perf_counter()
    figures = {"partitions": [st for _, st in per_partition], "merge_levels": levels,
               "seconds": {"setup_and_order": ordered - started, "partials": built - ordered,
                           "merge": done - built, "total": done - started}}
    return data, bad, figures


def _empty_glossary(sc, binary, final_argv, ext):
    empty = b'{\n  "format": "hashi-glossary",\n  "version": 1,\n  "documents": 0,\n  "complete": true,\n  "entries": []\n}\n'
    return sc.parallelize([0], 1).map(lambda _: merge_group([(0, empty)], binary, final_argv, ext)).collect()[0]


def write_atomically(path, data):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def messages(bad):
    """One line per bad document: hashi's message, or the job's (for records)."""
    return [reason if doc_id is None else f"{doc_id}: {reason}" for doc_id, reason in bad]


def report(bad):
    for message in messages(bad):
        print(f"hashi-spark: skipped: {message}", file=sys.stderr)
    if bad:
        print(f"hashi-spark: {len(bad)} bad document(s) skipped (--keep-going)", file=sys.stderr)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    spark = hs.session("hashi glossary")
    try:
        data, bad, figures = glossary(spark, args)
    except Exception as error:  # the task's message names the document
        hs.fail(_root_message(error))
    write_atomically(args.output, data)
    if args.stats:
        write_atomically(args.stats, (json.dumps(figures, indent=1) + "\n").encode())
    report(bad)
    spark.stop()
    sys.exit(1 if bad else 0)


def _root_message(error):
    """The BadDocument/RuntimeError message from inside a failed Spark task."""
    text = str(error)
    for marker in ("hashi_spark.BadDocument: ", "BadDocument: ", "RuntimeError: "):
        if marker in text:
            return text.split(marker, 1)[1].splitlines()[0]
    return text.splitlines()[0] if text else repr(error)


if __name__ == "__main__":
    main()
