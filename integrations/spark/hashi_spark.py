"""Shared code of the Spark jobs (glossary.py, annotate.py): reading the input
in Hashi's document order, finding and running the hashi binary on executors,
shipping the dictionaries, and mapping hashi's error messages back to
document ids.

Document order is the order `hashi glossary INPUT` uses on one machine:

* a directory: files matching the globs (default *.txt, *.md, *.jsonl, *.ndjson, leaving out README, LICENSE and similar project files; names
  starting with "." skipped), found recursively, sorted by path; a .jsonl or
  .ndjson file contributes its records in line order;
* a single file; a .jsonl/.ndjson file gives its records in line order;
* Parquet (a .parquet path, a directory of Parquet files, or --input-format
  parquet): rows ordered by file path, then row position in the file
  (`--order-by COL` orders by columns instead); each row's `id` and `text`.

ordered_documents() returns the documents partitioned so that partition i
holds documents that all come before those of partition i + 1, each partition
in order; the jobs rely on nothing else.
"""

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_GLOBS = ["*.txt", "*.md", "*.jsonl", "*.ndjson"]
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
# What a directory does not bring in with the default globs (hashi's
# InputResolver.isProjectFile): a project's own files, not documents.
PROJECT_FILES = {"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "CONTRIBUTING", "NOTICE",
                 "AUTHORS", "CODE_OF_CONDUCT", "SECURITY"}


def is_project_file(name):
    """README.md, LICENSE, CHANGELOG.txt...: any case, any extension."""
    return name.upper().split(".", 1)[0] in PROJECT_FILES

# Document kinds: a whole file (its bytes, decoded by hashi), a file on a file
# system the executor sees (its absolute path), a JSON Lines record (id and
# text, validated and re-encoded by the job).
FILE, LOCAL, RECORD = "file", "local", "record"


class BadDocument(Exception):
    """A document hashi (or the job) cannot read; the message names its id."""


# ---------------------------------------------------------------- input

def _jvm_fs(spark, path):
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return hpath.getFileSystem(conf), hpath


def _binary_files(spark, input_arg, glob):
    """Spark's binaryFile source over a directory, recursively, files named like glob.

    Spark's default open cost of a file (4 MB) makes one task per 32 small files
    (400 tasks for 50 MB of articles); the job counts 8 kB instead, unless
    spark.sql.files.openCostInBytes is set."""
    if not spark.sparkContext.getConf().contains("spark.sql.files.openCostInBytes"):
        spark.conf.set("spark.sql.files.openCostInBytes", str(8 << 10))
    return (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
            .option("pathGlobFilter", glob).load(input_arg))


def _glob_groups(globs):
    """The globs as few Hadoop glob patterns as possible: {a,b,c} when none of
    them has braces or commas, else one each."""
    if len(globs) > 1 and not any(c in g for g in globs for c in "{},"):
        return ["{" + ",".join(globs) + "}"]
    return list(globs)


def list_input(spark, input_arg, globs, skip_project_files=False):
    """Files hashi would read under a URI (hdfs://, s3a://, file:/...), listed by
    Spark's binaryFile source: ([(display name, uri, size, glob group)] in
    hashi's order, {glob group: DataFrame} to read the contents from)."""
    fs, hpath = _jvm_fs(spark, input_arg)
    if not fs.exists(hpath):
        raise SystemExit(f"{input_arg}: no such file or directory")
    status = fs.getFileStatus(hpath)
    if not status.isDirectory():
        return [(input_arg, status.getPath().toString(), status.getLen(), 0)], \
            {0: spark.read.format("binaryFile").load(input_arg)}
    root = status.getPath().toString().rstrip("/") + "/"
    base = input_arg if input_arg.endswith("/") else input_arg + "/"
    found, frames = {}, {}
    for g, glob in enumerate(globs):
        frames[g] = _binary_files(spark, input_arg, glob)
        for row in frames[g].select("path", "length").collect():
            uri = row.path
            name = uri.rsplit("/", 1)[-1]
            if uri in found or name.startswith(".") or (skip_project_files and is_project_file(name)):
                continue
            rel = uri[len(root):] if uri.startswith(root) else uri
            found[uri] = (base + rel, uri, row.length, g)
    if not found:
        raise SystemExit(f"{input_arg}: directory has no files matching {' or '.join(globs)}")
    # hashi sorts the full paths it found (Swift string order = code point order here).
    return sorted(found.values(), key=lambda f: f[0]), frames


def list_local(input_arg, globs, skip_project_files=False):
    """[(display name, path, size)] of the files `hashi` would read under a local
    path, as hashi finds them: recursively, names matching a glob (fnmatch),
    names starting with "." skipped, sorted by path."""
    if not os.path.exists(input_arg):
        raise SystemExit(f"{input_arg}: no such file or directory")
    if not os.path.isdir(input_arg):
        return [(input_arg, input_arg, os.path.getsize(input_arg))]
    found = []
    for folder, _dirs, names in os.walk(input_arg):
        for name in names:
            full = os.path.join(folder, name)
            if name.startswith(".") or os.path.isdir(full) or (skip_project_files and is_project_file(name)):
                continue
            if any(fnmatch.fnmatchcase(name, g) for g in globs):
                rel = os.path.relpath(full, input_arg)
                found.append((input_arg + rel if input_arg.endswith("/") else input_arg + "/" + rel, full))
    if not found:
        raise SystemExit(f"{input_arg}: directory has no files matching {' or '.join(globs)} (change with --glob)")
    return [(name, path, os.path.getsize(path)) for name, path in sorted(found)]


def is_uri(input_arg):
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", input_arg) is not None


def is_parquet_input(spark, input_arg):
    """A .parquet path, or a directory holding Parquet files (or Spark's _SUCCESS)."""
    if input_arg.rstrip("/").endswith(".parquet"):
        return True
    if not is_uri(input_arg):
        return os.path.isdir(input_arg) and any(
            n.endswith(".parquet") or n == "_SUCCESS" for n in os.listdir(input_arg))
    fs, hpath = _jvm_fs(spark, input_arg)
    if not (fs.exists(hpath) and fs.getFileStatus(hpath).isDirectory()):
        return False
    pattern = spark.sparkContext._jvm.org.apache.hadoop.fs.Path(input_arg.rstrip("/") + "/{*.parquet,_SUCCESS}")
    found = fs.globStatus(pattern)  # one call: iterating a listing through py4j costs ~1 ms a file
    return found is not None and len(found) > 0


def _record(line, name, offset, file_no):
    """A JSON Lines record checked as hashi checks it; None for a blank line."""
    if offset == 0 and line.startswith("\ufeff"):
        line = line[1:]
    if line.endswith("\r"):
        line = line[:-1]
    if not line.strip(" \t"):
        return None
    where = f"{name} (byte offset {offset})"
    key = (file_no, offset)
    try:
        obj = json.loads(line)
    except ValueError:
        return (key, (RECORD, where, None, "not a JSON object", {}))
    if not isinstance(obj, dict):
        return (key, (RECORD, where, None, "not a JSON object", {}))
    if not isinstance(obj.get("text"), str):
        return (key, (RECORD, where, None, 'no "text" string', {}))
    raw_id = obj.get("id")
    if raw_id is None and "id" not in obj:
        doc_id = where
    elif isinstance(raw_id, str):
        doc_id = raw_id
    elif isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        doc_id = json.dumps(raw_id)
    else:
        return (key, (RECORD, where, None, '"id" is neither a string nor a number', {}))
    return (key, (RECORD, doc_id, obj["text"], None, {}))


def ordered_documents(spark, input_arg, partitions, globs=None, default_globs=DEFAULT_GLOBS,
                      input_format="auto", order_by=None, columns=()):
    """RDD of (key, document) in `partitions` partitions, in hashi's order:
    partition i holds documents that come before those of partition i + 1, and
    each partition is sorted.

    A document is (kind, id, payload, error, extras): payload is the file's bytes
    (FILE) or the record's text (RECORD); a document that cannot be read has
    payload None and the reason in error. Extras: the `columns` kept from
    Parquet input (else {}).

    Files and JSON Lines: the driver lists the files with their sizes and cuts
    the corpus, as one byte stream in hashi's order, into `partitions` equal
    ranges; a document (a file, or a line of a .jsonl file) belongs to the range
    it starts in. A local path is read by the tasks themselves (task i reads
    range i; executors must see the path, e.g. a shared mount); a URI (hdfs://,
    s3a://, file:/...) is read by Spark's binaryFile and text sources and one
    shuffle moves each document to its range. Parquet: sorted by key with
    Spark's range partitioner."""
    sc = spark.sparkContext
    if input_format == "parquet" or (input_format == "auto" and is_parquet_input(spark, input_arg)):
        rdd = _parquet_documents(spark, input_arg, order_by, columns)
        return rdd.sortByKey(ascending=True, numPartitions=partitions)
    if columns:
        raise SystemExit("--columns needs Parquet input")
    skip = not globs or list(globs) == list(DEFAULT_GLOBS)
    globs = list(globs) if globs else list(default_globs)
    if not is_uri(input_arg):
        return _local_documents(sc, list_local(input_arg, globs, skip), partitions)
    files, frames = list_input(spark, input_arg, _glob_groups(globs), skip)
    total = max(1, sum(f[2] for f in files))
    starts, at = [], 0
    for f in files:
        starts.append(at)
        at += f[2]

    pieces = []
    text_files = {}
    for file_no, (name, uri, _size, g) in enumerate(files):
        if name.lower().endswith(JSONL_EXTENSIONS):
            lines = sc.newAPIHadoopFile(
                uri, "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
                "org.apache.hadoop.io.LongWritable", "org.apache.hadoop.io.Text")
            pieces.append(lines.map(lambda kv, n=name, f=file_no: _record(kv[1], n, kv[0], f))
                          .filter(lambda r: r is not None))
        else:
            text_files.setdefault(g, {})[uri] = (file_no, name)
    for g, index in sorted(text_files.items()):
        wanted = sc.broadcast(index)

        def keyed(rows, wanted=wanted):
            for row in rows:
                hit = wanted.value.get(row.path)
                if hit is not None:
                    yield ((hit[0], 0), (FILE, hit[1], bytes(row.content), None, {}))
        pieces.append(frames[g].select("path", "content").rdd.mapPartitions(keyed))
    rdd = pieces[0] if len(pieces) == 1 else sc.union(pieces)
    starts = sc.broadcast(starts)

    def place(kv):
        (file_no, offset), doc = kv
        return ((min(partitions - 1, (starts.value[file_no] + offset) * partitions // total), file_no, offset), doc)
    return rdd.map(place).repartitionAndSortWithinPartitions(partitions, partitionFunc=lambda k: k[0])


def _local_documents(sc, files, partitions):
    """Task k reads byte range k of the corpus from the local (or shared) file
    system: whole files that start in it, and the .jsonl lines that start in it."""
    total = max(1, sum(f[2] for f in files))
    bound = [-(-k * total // partitions) for k in range(partitions + 1)]  # ceil(k * total / P)
    units = [[] for _ in range(partitions)]
    at = 0
    for file_no, (name, path, size) in enumerate(files):
        if name.lower().endswith(JSONL_EXTENSIONS):
            for k in range(partitions):
                lo, hi = max(0, bound[k] - at), min(size, bound[k + 1] - at)
                if lo < hi:
                    units[k].append((file_no, name, path, lo, hi))
        else:
            units[min(partitions - 1, at * partitions // total)].append((file_no, name, path, None, None))
        at += size
    units = sc.broadcast(units)

    def read(k):
        for file_no, name, path, lo, hi in units.value[k]:
            if lo is None:  # hashi reads it itself, through a link (see write_documents)
                yield ((k, file_no, 0), (LOCAL, name, os.path.abspath(path), None, {}))
                continue
            with open(path, "rb") as f:
                pos = lo
                if lo > 0:
                    f.seek(lo - 1)
                    pos = lo - 1 + len(f.readline())  # the line that starts before lo is not ours
                while pos < hi:
                    line = f.readline()
                    if not line:
                        break
                    try:
                        text = line.rstrip(b"\n").decode("utf-8")
                    except UnicodeDecodeError:
                        text = "\x00"  # not JSON: reported as such
                    record = _record(text, name, pos, file_no)
                    if record is not None:
                        yield ((k,) + record[0], record[1])
                    pos += len(line)

    return sc.parallelize(range(partitions), partitions).flatMap(read)


def _parquet_documents(spark, input_arg, order_by, columns):
    from pyspark.sql import functions as F
    df = spark.read.parquet(input_arg)
    missing = [c for c in ["id", "text", *columns] if c not in df.columns]
    if missing:
        raise SystemExit(f"{input_arg}: Parquet input has no column {', '.join(missing)} (needs id and text)")
    if order_by:
        keys = [F.col(c) for c in order_by.split(",")]
    else:
        keys = [F.col("_metadata.file_path"), F.col("_metadata.row_index")]
    sel = df.select(*[k.alias(f"_k{i}") for i, k in enumerate(keys)],
                    F.col("id").cast("string").alias("id"), F.col("text"), *[F.col(c) for c in columns])
    nk = len(keys)
    cols = list(columns)

    def row(r):
        extras = {c: r[nk + 2 + i] for i, c in enumerate(cols)}
        key = tuple(r[:nk])
        if r[nk + 1] is None:
            return (key, (RECORD, r[nk], None, "text is null", extras))
        return (key, (RECORD, r[nk], r[nk + 1], None, extras))
    return sel.rdd.map(row)


# ---------------------------------------------------------------- hashi

def hashi_binary(shipped_name):
    """The hashi executable on this executor: the file shipped with
    --files/--hashi (SparkFiles), else `hashi` on PATH."""
    if shipped_name:
        try:
            from pyspark import SparkFiles
            path = SparkFiles.get(shipped_name)
        except Exception:
            path = None
        if path and os.path.exists(path):
            if not os.access(path, os.X_OK):
                copy = os.path.join(tempfile.gettempdir(), f"hashi-{os.getpid()}")
                shutil.copy(path, copy)
                os.chmod(copy, 0o755)
                path = copy
            return path
    found = shutil.which("hashi")
    if not found:
        raise RuntimeError("hashi not found on this executor: ship it with --hashi PATH or "
                           "spark-submit --files PATH/hashi, or install it on PATH")
    return found


def shipped(name):
    """The local path of a file shipped with SparkContext.addFile."""
    from pyspark import SparkFiles
    return SparkFiles.get(name)


def run(argv, cwd=None, extra_env=None, stdout_path=None):
    """Runs hashi; returns (exit status, stdout bytes, stderr text); with
    stdout_path, standard output goes to that file (and b"" is returned). The
    executor's own $HASHI_DICT and EDICT index are never used: only what the
    driver shipped (see split_dictionary_options)."""
    env = {k: v for k, v in os.environ.items() if k not in ("HASHI_DICT", "HASHI_EDICT_INDEX")}
    env["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-spark/edict.idx"
    env.update(extra_env or {})
    if stdout_path:
        with open(stdout_path, "wb") as out:
            p = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, cwd=cwd, env=env)
        return p.returncode, b"", p.stderr.decode("utf-8", "replace")
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def error_lines(stderr, names):
    """hashi's `hashi: error:` lines with the temporary paths replaced by document ids."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("hashi: error: "):
            continue
        msg = line[len("hashi: error: "):]
        for tmp, doc_id in names.items():
            if tmp in msg:
                msg = msg.replace(tmp, doc_id)
        out.append(msg)
    return out


def maybe_fail_for_test():
    """Test hook: the local property hashi.test.failOnce=N (set by the test with
    SparkContext.setLocalProperty) fails the first attempt of partition N after
    its work is done, so that Spark retries the task."""
    from pyspark import TaskContext
    tc = TaskContext.get()
    want = tc.getLocalProperty("hashi.test.failOnce") if tc else None
    if want and tc.partitionId() == int(want) and tc.attemptNumber() == 0:
        raise RuntimeError(f"hashi.test.failOnce: failing attempt 0 of partition {want} on purpose")


class Workdir:
    """A private temporary directory per task attempt (retries never share files)."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="hashi-spark-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def write_documents(workdir, docs, jsonl_chunks=True):
    """Lays out a partition's documents for hashi, in order, in the directory
    workdir/docs, as 000000001.txt, 000000002.jsonl, ... (hashi reads a
    directory in name order, and one argument avoids the limit on the length of
    a command line). Returns (the directory or None when there is no document,
    [each document's path, for jsonl_chunks=False], {path: document id},
    bad documents [(id, reason)]).

    Files keep their bytes (hashi decodes them as on one machine); a file the
    executor can see is a symbolic link to it, so it is not copied; runs of
    consecutive records go to one .jsonl chunk (`hashi glossary` reads it as it
    reads a .jsonl corpus) or, with jsonl_chunks=False, to one UTF-8 file each."""
    folder = os.path.join(workdir, "docs")
    os.mkdir(folder)
    paths, names, bad = [], {}, []
    chunk = None
    n = 0
    for _key, doc in docs:
        kind, doc_id, payload, error, _extras = doc
        if payload is None:
            bad.append((doc_id, error))
            continue
        if kind == RECORD and jsonl_chunks:
            if chunk is None:
                n += 1
                chunk = open(os.path.join(folder, f"{n:09d}.jsonl"), "w", encoding="utf-8")
            chunk.write(json.dumps({"id": doc_id, "text": payload}, ensure_ascii=True))
            chunk.write("\n")
            continue
        if chunk is not None:
            chunk.close()
            chunk = None
        n += 1
        path = os.path.join(folder, f"{n:09d}.txt")
        if kind == LOCAL:
            os.symlink(payload, path)
        else:
            with open(path, "wb") as f:
                f.write(payload if kind == FILE else payload.encode("utf-8", "surrogatepass"))
        paths.append(path)
        names[path] = doc_id
    if chunk is not None:
        chunk.close()
    return (folder if n else None), paths, names, bad


def document_bytes(doc):
    kind, _id, payload = doc[0], doc[1], doc[2]
    if payload is None:
        return 0
    if kind == LOCAL:
        try:
            return os.path.getsize(payload)
        except OSError:
            return 0
    return len(payload) if kind == FILE else len(payload.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------- options

class Shipper:
    """Ships the files hashi options name (dictionaries, EDICT index) and the
    binary itself to the executors, and rewrites the options to their names."""

    def __init__(self, sc):
        self.sc = sc
        self.count = 0

    def ship(self, path, recursive=False):
        if not os.path.exists(path):
            raise SystemExit(f"{path}: no such file or directory")
        path = os.path.abspath(path)
        self.sc.addFile(path, recursive=os.path.isdir(path))
        return os.path.basename(path)


def split_dictionary_options(sc, dicts, edict_index, no_edict):
    """Ships the dictionaries hashi on the driver machine would use, so that
    every executor links with exactly those: the --dict files, then $HASHI_DICT
    (hashi's order of precedence), and the EDICT index: --edict-index, else the
    default one ($HASHI_EDICT_INDEX, $XDG_DATA_HOME/hashi/edict.idx or
    ~/.local/share/hashi/edict.idx) when it exists. Returns (dictionary names,
    (EDICT index name, given explicitly) or None)."""
    ship = Shipper(sc)
    shipped_dicts = []
    env = [p for p in os.environ.get("HASHI_DICT", "").split(":") if p]
    for path in list(dicts or []) + env:
        shipped_dicts.append(ship.ship(path))
    edict = None
    if not no_edict:
        if edict_index:
            edict = (ship.ship(edict_index), True)
        else:
            data = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
            default = os.environ.get("HASHI_EDICT_INDEX") or os.path.join(data, "hashi", "edict.idx")
            if os.path.exists(default):
                edict = (ship.ship(default), False)
    names = shipped_dicts + ([edict[0]] if edict else [])
    if len(set(names)) != len(names):
        raise SystemExit("shipped dictionary files must have distinct file names")
    return shipped_dicts, edict


def dictionary_argv(shipped_dicts, edict):
    """hashi options and environment for the shipped dictionaries. The default
    EDICT index goes through $HASHI_EDICT_INDEX, so that hashi treats it as its
    default (silently unused when unreadable), as on the driver machine."""
    argv, env = [], {}
    for name in shipped_dicts:
        argv += ["--dict", shipped(name)]
    if edict is None:
        argv.append("--no-edict")
    elif edict[1]:
        argv += ["--edict-index", shipped(edict[0])]
    else:
        env["HASHI_EDICT_INDEX"] = shipped(edict[0])
    return argv, env


def ship_binary(sc, hashi):
    """Adds the hashi binary to the job (--hashi, else $HASHI_BIN); returns the
    name executors look for (None: PATH, or a file spark-submit --files shipped)."""
    hashi = hashi or os.environ.get("HASHI_BIN")
    if hashi:
        if not os.access(hashi, os.X_OK):
            raise SystemExit(f"{hashi}: not an executable")
        sc.addFile(os.path.abspath(hashi))
        return os.path.basename(hashi)
    return "hashi"


def task_threads(sc, threads):
    if threads:
        return threads
    return int(sc.getConf().get("spark.task.cpus", "1"))


def session(name):
    """The SparkSession; Spark's INFO log is off unless spark.log.level is given."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession
    conf = SparkConf()
    if not conf.contains("spark.log.level"):
        conf.set("spark.log.level", "WARN")
    return SparkSession.builder.appName(name).config(conf=conf).getOrCreate()


def fail(message):
    print(f"hashi-spark: error: {message}", file=sys.stderr)
    sys.exit(1)
