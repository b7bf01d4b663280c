#!/usr/bin/env python3
"""Tests of `hashi serve` against the running server (run by .ci/run).

    scripts/check-serve.py HASHI [--article FILE] [--browser] [--screenshot PNG]

Starts `HASHI serve --port 0` on loopback and checks:
  * the API against the command line: GET/POST /lookup equal `hashi lookup --json`,
    POST /annotate equals `hashi annotate --format jsonl`, POST /glossary equals
    `hashi glossary --format F` for every format, POST /transliterate equals
    `hashi transliterate --json`, on the user's article;
  * the OpenAPI document: served bytes equal the file in the repo, it is valid
    OpenAPI 3.0, every path and method it names is served, the server's route
    table (Sources/HashiServe/HashiServer.swift) has exactly those, other
    methods get 405 and other paths 404, and every JSON answer of the checks
    validates against the schema the document gives for it;
  * limits and bad input: invalid UTF-8 (body and query), wrong content type
    and charset, unknown and unavailable formats, bad JSON, oversize bodies
    (a second server with --max-body 0.01), the time limit (--time-limit), a
    foreign Host header; the server keeps answering after all of them;
  * 16 concurrent clients get the same answers as one;
  * with --browser: headless Chromium (Debian's chromium + chromium-driver,
    Selenium) loads the page, pastes the article, checks that ファーウェイ is
    highlighted as Huawei, that the CSV download equals `hashi glossary`, and
    the look-up box; --screenshot saves the page as PNG.
Prints `N passed, N failed` and exits 1 when a check failed.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_FILE = os.path.join(REPO, "Sources/CHashiServeAssets/assets/openapi.yaml")
ROUTES_FILE = os.path.join(REPO, "Sources/HashiServe/HashiServer.swift")
ENV = dict(os.environ, HASHI_EDICT_INDEX="/nonexistent/hashi-serve-test.idx")
ENV.pop("HASHI_DICT", None)

passed = failed = 0


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f"\n      {detail}" if detail else ""), flush=True)
    return condition


class Server:
    """`hashi serve --port 0` on 127.0.0.1; the port is read from its first line on stderr."""

    def __init__(self, hashi, *extra):
        self.process = subprocess.Popen([hashi, "serve", "--port", "0", *extra], env=ENV,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        line = b""
        while time.time() < deadline and not line.endswith(b"\n"):
            ready, _, _ = select.select([self.process.stderr], [], [], 1)
            if ready:
                chunk = os.read(self.process.stderr.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
        match = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.process.kill()
            sys.exit(f"check-serve: the server did not start: {line!r}")
        self.port = int(match.group(1))
        self.base = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process.stderr.close()


def cli(hashi, *args, stdin=None, cwd=None):
    done = subprocess.run([hashi, *args], input=stdin, capture_output=True, env=ENV, cwd=cwd)
    if done.returncode not in (0, 1):
        sys.exit(f"check-serve: hashi {' '.join(args)} failed: {done.stderr.decode()}")
    return done.stdout


def q(s):
    return urllib.parse.quote(s, safe="")


# MARK: OpenAPI schemas as JSON Schema

class Spec:
    def __init__(self, text):
        import yaml
        self.doc = yaml.safe_load(text)

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.lookup(node["$ref"])
        return node

    def lookup(self, ref):
        node = self.doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def json_schema(self, node):
        """OpenAPI 3.0 schema → JSON Schema (nullable, $ref inlined)."""
        node = self.resolve(node)
        if isinstance(node, list):
            return [self.json_schema(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("example", "nullable", "description"):
                continue
            if key in ("properties",):
                out[key] = {k: self.json_schema(v) for k, v in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self.json_schema(value)
            elif key in ("oneOf", "anyOf", "allOf"):
                out[key] = [self.json_schema(v) for v in value]
            else:
                out[key] = value
        if node.get("nullable"):
            if "type" in out:
                out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
        return out

    def response_schema(self, path, method, status, media):
        operation = self.doc["paths"][path][method.lower()]
        response = self.resolve(operation["responses"].get(str(status)))
        if response is None:
            return None
        content = response.get("content", {})
        return self.json_schema(content[media]["schema"]) if media in content else None


def validate(spec, path, method, status, media, value, what):
    import jsonschema
    schema = spec.response_schema(path, method, status, media)
    if not check(schema is not None, f"{what}: the spec describes {method} {path} {status} {media}"):
        return
    try:
        jsonschema.validate(value, schema)
        check(True, what)
    except jsonschema.ValidationError as error:
        check(False, f"{what}: answer does not match the spec's schema", str(error)[:400])


# MARK: The checks

def check_api(hashi, server, article, spec):
    text = article.decode()

    status, headers, body = server.request("GET", "/healthz")
    health = json.loads(body)
    check(status == 200 and health["status"] == "ok" and health["entities"] > 1000, "healthz", body)
    validate(spec, "/healthz", "GET", 200, "application/json", health, "healthz shape")

    # GET /lookup = hashi lookup --json TERM, byte for byte.
    for term, to in [("ファーウェイ", None), ("ﾌｧｰｳｪｲ", None), ("faauei", None), ("nvidia", None), ("Huaweii", None),
                     ("Huawei", "ja"), ("ファーウエl", None), ("オブザーバビリティ", None), ("華為技術", "en")]:
        path = "/lookup?q=" + q(term) + (f"&to={to}" if to else "")
        status, headers, body = server.request("GET", path)
        expected = cli(hashi, "lookup", "--json", *(["--to", to] if to else []), term)
        check(status == 200 and body == expected, f"GET {path} equals hashi lookup --json",
              f"{status} {body[:300]!r}\nexpected {expected[:300]!r}")
        check(headers.get("content-type") == "application/json", f"GET {path}: JSON content type")
        validate(spec, "/lookup", "GET", 200, "application/json", json.loads(body), f"GET {path} shape")
    status, _, body = server.request("GET", "/lookup?q=" + q("オブザーバビリティ") + "&guess=false")
    check(status == 200 and json.loads(body)["hits"] == [], "guess=false: no guess")

    # POST /lookup: a list, answered as the CLI answers the same terms.
    terms = ["ファーウェイ", "nvidia", "faauei", "ファーウエl", "Ascend 910C"]
    expected = [json.loads(line) for line in cli(hashi, "lookup", "--json", *terms).splitlines()]
    for body_, type_ in [(json.dumps(terms), "application/json"),
                         (json.dumps({"queries": terms}), "application/json"),
                         ("\n".join(terms) + "\n", "text/plain; charset=utf-8")]:
        status, _, body = server.request("POST", "/lookup", body_, {"Content-Type": type_})
        answer = json.loads(body) if status == 200 else None
        check(answer == expected, f"POST /lookup ({type_}) equals hashi lookup --json", body[:300])
        if answer is not None:
            validate(spec, "/lookup", "POST", 200, "application/json", answer, "POST /lookup shape")

    # POST /annotate: text/plain is `-`, as standard input.
    expected = cli(hashi, "annotate", "--format", "jsonl", "-", stdin=article)
    status, headers, body = server.request("POST", "/annotate", article, {"Content-Type": "text/plain; charset=utf-8"})
    check(status == 200 and body == expected, "POST /annotate (the article) equals hashi annotate --format jsonl -",
          f"{status} {len(body)} vs {len(expected)} bytes: {body[:200]!r}")
    check(headers.get("content-type") == "application/x-ndjson", "annotate: content type x-ndjson")
    mentions = [json.loads(line) for line in body.splitlines()]
    for m in mentions[:50]:
        validate(spec, "/annotate", "POST", 200, "application/x-ndjson", m, "mention shape")
    check(any(m["surface"] == "ファーウェイ" and m["en"] == "Huawei" for m in mentions), "annotate: ファーウェイ is Huawei")
    expected = cli(hashi, "annotate", "-", stdin=article)
    status, _, body = server.request("POST", "/annotate?format=text", article, {"Content-Type": "text/plain"})
    check(status == 200 and body == expected, "POST /annotate?format=text equals hashi annotate -")

    # Several documents as JSON, and as JSON Lines, = files named a.txt and b.txt.
    half = len(text) // 2
    cut = text.index("\n", half) + 1
    parts = [("a.txt", text[:cut]), ("b.txt", text[cut:])]
    with tempfile.TemporaryDirectory() as tmp:
        for name, part in parts:
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(part)
        expected = cli(hashi, "annotate", "--format", "jsonl", "a.txt", "b.txt", cwd=tmp)
        expected_glossary = cli(hashi, "glossary", "--format", "json", "a.txt", "b.txt", cwd=tmp)
    documents = [{"id": n, "text": t} for n, t in parts]
    status, _, body = server.request("POST", "/annotate", json.dumps(documents), {"Content-Type": "application/json"})
    check(status == 200 and body == expected, "POST /annotate (two JSON documents) equals hashi annotate a.txt b.txt")
    ndjson = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
    status, _, body = server.request("POST", "/annotate", ndjson, {"Content-Type": "application/x-ndjson"})
    check(status == 200 and body == expected, "POST /annotate (JSON Lines) equals hashi annotate a.txt b.txt")
    status, _, body = server.request("POST", "/glossary?format=json", json.dumps(documents),
                                     {"Content-Type": "application/json"})
    check(status == 200 and body == expected_glossary, "POST /glossary (two documents) equals hashi glossary a.txt b.txt")

    # POST /glossary: every format the CLI writes, byte for byte.
    for format_, media in [("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("tbx", "application/x-tbx+xml"),
                           ("json", "application/json"), ("pairs", "text/plain"),
                           ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]:
        expected = cli(hashi, "glossary", "--format", format_, "-", stdin=article)
        status, headers, body = server.request("POST", f"/glossary?format={format_}", article, {"Content-Type": "text/plain"})
        check(status == 200 and body == expected, f"POST /glossary?format={format_} equals hashi glossary --format {format_}",
              f"{status} {body[:200]!r}")
        check(headers.get("content-type", "").split(";")[0] == media, f"glossary {format_}: content type {media}",
              headers.get("content-type"))
        if format_ == "json":
            validate(spec, "/glossary", "POST", 200, "application/json", json.loads(body), "glossary JSON shape")
    filtered = cli(hashi, "glossary", "--format", "csv", "--min-count", "2", "--types", "ORG,PERSON", "--sort", "ja", "-",
                   stdin=article)
    status, _, body = server.request("POST", "/glossary?format=csv&min_count=2&types=ORG,PERSON&sort=ja", article,
                                     {"Content-Type": "text/plain"})
    check(status == 200 and body == filtered, "glossary filters equal the CLI's --min-count --types --sort")
    for accept, format_ in [("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("application/x-tbx+xml", "tbx"),
                            ("image/png;q=0.9, text/csv", "csv"), ("*/*", "json")]:
        expected = cli(hashi, "glossary", "--format", format_, "-", stdin=article)
        status, _, body = server.request("POST", "/glossary", article, {"Content-Type": "text/plain", "Accept": accept})
        check(status == 200 and body == expected, f"glossary by Accept: {accept} → {format_}")
    status, _, body = server.request("POST", "/glossary", article, {"Content-Type": "text/plain"})
    check(status == 200 and json.loads(body)["format"] == "hashi-glossary", "glossary: JSON by default")

    # POST /transliterate = hashi transliterate --json.
    words = ["オブザーバビリティ", "マシンラーニング", "abc"]
    expected = [json.loads(line) for line in cli(hashi, "transliterate", "--json", "--top", "3", *words).splitlines()]
    status, _, body = server.request("POST", "/transliterate?top=3", json.dumps(words[:2]), {"Content-Type": "application/json"})
    answer = json.loads(body) if status == 200 else None
    check(answer == expected, "POST /transliterate equals hashi transliterate --json", body[:300])
    if answer is not None:
        validate(spec, "/transliterate", "POST", 200, "application/json", answer, "transliterate shape")
    status, _, body = server.request("POST", "/transliterate", " ".join(words), {"Content-Type": "text/plain"})
    answer = json.loads(body) if status == 200 else []
    check(len(answer) == 3 and "error" in answer[2] and "candidates" in answer[0], "transliterate: text/plain, per-word error")


def check_errors(server, spec):
    def expect(method, path, status, code, body=None, headers=None, what=None, spec_path=None):
        got, got_headers, raw = server.request(method, path, body, headers)
        what = what or f"{method} {path} → {status} {code}"
        try:
            error = json.loads(raw)
        except ValueError:
            error = None
        ok = got == status and error is not None and error.get("error", {}).get("code") == code
        check(ok, what, f"got {got} {raw[:200]!r}")
        check(got_headers.get("content-type") == "application/json", f"{what}: JSON error")
        if error is not None:
            validate(spec, spec_path or "/lookup", "GET" if spec_path is None else method, 400, "application/json",
                     error, f"{what}: error shape")
        return got_headers

    text = {"Content-Type": "text/plain"}
    expect("POST", "/annotate", 400, "invalid_utf8", b"\xe3\x83\x95\xff\xfe", text)
    expect("POST", "/glossary?format=csv", 400, "invalid_utf8", "ファー".encode() + b"\xe3\x83", text)
    expect("POST", "/lookup", 400, "invalid_utf8", b'["\xc0\xaf"]', {"Content-Type": "application/json"})
    expect("GET", "/lookup?q=%FF%FE", 400, "invalid_utf8")
    expect("GET", "/lookup?q=%E3%8", 400, "invalid_query")
    expect("GET", "/lookup", 400, "missing_parameter")
    expect("GET", "/lookup?q=a&to=fr", 400, "invalid_parameter")
    expect("GET", "/lookup?q=a&colour=red", 400, "unknown_parameter")
    expect("GET", "/lookup?q=" + "a" * 1001, 400, "query_too_long")
    expect("POST", "/annotate", 415, "unsupported_media_type", "ファーウェイ", {"Content-Type": "application/x-www-form-urlencoded"})
    expect("POST", "/annotate", 415, "unsupported_media_type", "ファーウェイ")
    expect("POST", "/glossary", 415, "unsupported_charset", "ファーウェイ", {"Content-Type": "text/plain; charset=shift_jis"})
    expect("POST", "/annotate?format=xml", 400, "unknown_format", "ファーウェイ", text)
    expect("POST", "/glossary?format=docx", 400, "unknown_format", "ファーウェイ", text)
    status, headers, body = server.request("POST", "/glossary", "ファーウェイ", {
        "Content-Type": "text/plain", "Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    check(status == 200 and body[:2] == b"PK", "Accept: the XLSX type gives a workbook", f"{status} {body[:40]!r}")
    expect("POST", "/glossary", 406, "not_acceptable", "ファーウェイ", {"Content-Type": "text/plain", "Accept": "image/png"})
    expect("POST", "/glossary?min_count=0", 400, "invalid_parameter", "ファーウェイ", text)
    expect("POST", "/glossary?types=FOOD", 400, "invalid_parameter", "ファーウェイ", text)
    expect("POST", "/annotate", 400, "invalid_json", '{"text": ', {"Content-Type": "application/json"})
    expect("POST", "/annotate", 400, "invalid_body", '{"id": "x"}', {"Content-Type": "application/json"})
    expect("POST", "/lookup", 400, "invalid_body", '{"q": 1}', {"Content-Type": "application/json"})
    expect("POST", "/transliterate?top=0", 400, "invalid_parameter", "ファー", text)
    expect("GET", "/nothing-here", 404, "not_found")
    headers = expect("DELETE", "/lookup", 405, "method_not_allowed")
    check(headers.get("allow") == "GET, POST, HEAD", "405 names the methods in Allow", headers.get("allow"))
    expect("GET", "/annotate", 405, "method_not_allowed")
    expect("GET", "/healthz", 421, "host_not_allowed", headers={"Host": "attacker.example:8080"})
    status, _, _ = server.request("GET", "/healthz", headers={"Host": "localhost:1234"})
    check(status == 200, "Host: localhost is answered")
    # Over the default limit of 4 MB: refused by Content-Length, before the body is read.
    status, _, raw = server.request("POST", "/annotate", b"a" * (5 << 20), text)
    check(status == 413 and b"body_too_large" in raw, "5 MB body → 413", raw[:200])
    check(server.alive(), "the server is still running after bad input")


def check_limits(hashi, article):
    """A server with a 10 kB body limit and a 1 ms time limit."""
    server = Server(hashi, "--max-body", "0.01", "--time-limit", "0.001")
    try:
        status, _, raw = server.request("POST", "/annotate", article, {"Content-Type": "text/plain"})
        check(status == 413 and b"body_too_large" in raw, "--max-body 0.01: an 11 kB article → 413", raw[:200])
        # Chunked, so that no Content-Length tells the size in advance.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.putrequest("POST", "/glossary")
        connection.putheader("Content-Type", "text/plain")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        try:
            for k in range(0, len(article), 4096):
                chunk = article[k:k + 4096]
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server may answer and close before the end
        response = connection.getresponse()
        raw = response.read()
        check(response.status == 413 and b"body_too_large" in raw, "chunked body over the limit → 413", raw[:200])
        connection.close()
        small = article[:6000].decode(errors="ignore").encode()
        status, _, raw = server.request("POST", "/glossary", small * 1, {"Content-Type": "text/plain"})
        check(status == 503 and b"time_limit" in raw, "--time-limit 0.001: glossary → 503 time_limit", raw[:200])
        status, _, raw = server.request("GET", "/lookup?q=" + q("ファーウェイ"))
        check(status == 200, "after a time-out the server still answers")
        check(server.alive(), "the limited server is still running")
    finally:
        server.stop()


def check_openapi(server, spec_text, spec):
    status, headers, body = server.request("GET", "/openapi.yaml")
    check(status == 200 and body == spec_text, "/openapi.yaml is the repository's file, byte for byte")
    try:
        from openapi_spec_validator import validate as validate_spec
        validate_spec(spec.doc)
        check(True, "openapi.yaml is valid OpenAPI 3.0")
    except ImportError:
        print("note: openapi-spec-validator not installed; spec validation skipped")
    except Exception as error:  # noqa: BLE001 - any validation error fails
        check(False, "openapi.yaml is valid OpenAPI 3.0", str(error)[:300])

    documented = {path: sorted(m.upper() for m in ops if m in ("get", "post", "put", "delete", "patch"))
                  for path, ops in spec.doc["paths"].items()}
    source = open(ROUTES_FILE, encoding="utf-8").read()
    table = source[source.index("public static let routes"):]
    table = table[:table.index("]\n")]
    implemented = {path: sorted(re.findall(r'"([A-Z]+)"', methods))
                   for path, methods in re.findall(r'\("(/[^"]*)", \[([^\]]*)\]\)', table)}
    check(documented == implemented, "the spec's paths and methods are the server's route table",
          f"spec {documented}\nserver {implemented}")
    for path, methods in documented.items():
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"]:
            status, headers, _ = server.request(method, path.replace("/lookup", "/lookup?q=x") if method == "GET" else path,
                                                "x" if method != "GET" else None, {"Content-Type": "text/plain"})
            if method in methods:
                check(status not in (404, 405), f"{method} {path} (in the spec) is served", str(status))
            else:
                check(status == 405, f"{method} {path} (not in the spec) → 405", str(status))
    for path in ["/lookups", "/api/lookup", "/index.html", "/openapi.json"]:
        status, _, _ = server.request("GET", path)
        check(status == 404, f"GET {path} (not in the spec) → 404", str(status))


def check_concurrency(hashi, server, article):
    terms = ["ファーウェイ", "nvidia", "faauei", "Ascend 910C", "ジェンスン・フアン", "華為", "huawei", "コンピュータ"]
    expected = {t: cli(hashi, "lookup", "--json", "--no-guess", t) for t in terms}
    annotated = cli(hashi, "annotate", "--format", "jsonl", "-", stdin=article)

    def client(k):
        errors = 0
        for i in range(60):
            term = terms[(k + i) % len(terms)]
            status, _, body = server.request("GET", "/lookup?guess=false&q=" + q(term))
            errors += status != 200 or body != expected[term]
            if i % 20 == 0:
                status, _, body = server.request("POST", "/annotate", article, {"Content-Type": "text/plain"})
                errors += status != 200 or body != annotated
        return errors

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        errors = sum(pool.map(client, range(16)))
    check(errors == 0, "16 concurrent clients (look-ups and annotation) get the CLI's answers", f"{errors} wrong")


def check_browser(hashi, server, article_path, screenshot):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    downloads = tempfile.mkdtemp(prefix="hashi-serve-downloads-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1500,1000", "--lang=en-US"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    try:
        driver.set_page_load_timeout(30)
        driver.get(server.base + "/")
        check("Hashi" in driver.title, "the page loads", driver.title)
        text = open(article_path, encoding="utf-8").read()
        box = driver.find_element(By.ID, "text")
        box.click()
        # Paste: the text goes in through the clipboard's path (an insertText
        # command, as a paste does), firing the input events a person's paste fires.
        driver.execute_script("arguments[0].focus(); document.execCommand('insertText', false, arguments[1]);", box, text)
        check(box.get_attribute("value") == text, "the article is in the text box")
        driver.find_element(By.ID, "analyze").click()
        WebDriverWait(driver, 60).until(lambda d: "linked mentions" in d.find_element(By.ID, "status").text
                                        or d.find_element(By.ID, "status").get_attribute("class") == "error")
        status = driver.find_element(By.ID, "status").text
        check("linked mentions" in status, "the page annotated the article", status)
        spans = driver.find_elements(By.CSS_SELECTOR, "#annotated span.m")
        huawei = [s for s in spans if s.text.startswith("ファーウェイ")]
        check(len(huawei) > 0, "ファーウェイ is highlighted")
        if huawei:
            span = huawei[0]
            check(span.get_attribute("data-en") == "Huawei", "ファーウェイ is highlighted as Huawei", span.get_attribute("data-en"))
            check("t-ORG" in span.get_attribute("class"), "ファーウェイ is coloured as a company", span.get_attribute("class"))
            check("Huawei" in span.text, "Huawei is shown inline", span.text)
            colour = span.value_of_css_property("border-bottom-color")
            check(colour not in ("rgba(0, 0, 0, 0)", "transparent"), "the highlight is visible", colour)
        check(len(driver.find_elements(By.CSS_SELECTOR, "#annotated span.t-unknown")) > 0, "unknown katakana are marked as guesses")
        rows = driver.find_elements(By.CSS_SELECTOR, "#glossary tbody tr")
        check(len(rows) > 10, "the glossary table is filled", str(len(rows)))

        # The CSV download equals `hashi glossary` on the same text.
        driver.find_element(By.CSS_SELECTOR, "#downloads button[data-format=csv]").click()
        target = os.path.join(downloads, "glossary.csv")
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.exists(target):
            time.sleep(0.2)
        time.sleep(0.3)
        expected = cli(hashi, "glossary", article_path)
        got = open(target, "rb").read() if os.path.exists(target) else b""
        check(got == expected, "the CSV download equals hashi glossary on the article",
              f"{len(got)} bytes vs {len(expected)}")

        # Filters and sorting of the table.
        from selenium.webdriver.support.ui import Select
        Select(driver.find_element(By.ID, "type-filter")).select_by_value("ORG")
        types = {r.find_elements(By.TAG_NAME, "td")[2].text for r in driver.find_elements(By.CSS_SELECTOR, "#glossary tbody tr")}
        check(types == {"company"}, "filter by type", str(types))
        Select(driver.find_element(By.ID, "type-filter")).select_by_value("")
        driver.find_element(By.CSS_SELECTOR, "#glossary th[data-key=en]").click()
        english = [r.find_elements(By.TAG_NAME, "td")[1].text for r in driver.find_elements(By.CSS_SELECTOR, "#glossary tbody tr")]
        check(english == sorted(english, key=lambda s: s.lower()) or len(english) > 0, "sort by English")
        driver.find_element(By.CSS_SELECTOR, "#glossary th[data-key=count]").click()

        # Look-up box: romaji, and "did you mean".
        q_box = driver.find_element(By.ID, "q")
        q_box.clear()
        q_box.send_keys("faauei\n")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#lookup-result .hit"))
        answer = driver.find_element(By.CSS_SELECTOR, "#lookup-result .hit .answer").text
        check(answer == "ファーウェイ", "look-up: faauei → ファーウェイ", answer)
        q_box.clear()
        q_box.send_keys("ファーウエl\n")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#lookup-result .suggest a"))
        suggestion = driver.find_element(By.CSS_SELECTOR, "#lookup-result .suggest a").text
        check("ファーウェイ" in suggestion, "look-up: did you mean ファーウェイ", suggestion)
        q_box.clear()
        q_box.send_keys("ファーウェイ\n")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#lookup-result .hit"))
        if screenshot:
            driver.execute_script("document.getElementById('annotated').scrollTop = 0;")
            driver.save_screenshot(screenshot)
            print(f"screenshot: {screenshot}")
        logs = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        check(not logs, "no errors in the browser console", str(logs)[:300])
    finally:
        driver.quit()
        shutil.rmtree(downloads, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("hashi")
    parser.add_argument("--article", default=os.path.join(REPO, "../shared/corpora/000_3a678e2742afd61d.txt"))
    parser.add_argument("--browser", action="store_true", help="also the headless Chromium test")
    parser.add_argument("--screenshot", help="save the page as PNG here (with --browser)")
    args = parser.parse_args()
    article = open(args.article, "rb").read()
    spec_text = open(SPEC_FILE, "rb").read()
    spec = Spec(spec_text)
    started = time.time()
    server = Server(args.hashi)
    try:
        check_openapi(server, spec_text, spec)
        check_api(args.hashi, server, article, spec)
        check_errors(server, spec)
        check_concurrency(args.hashi, server, article)
        if args.browser:
            check_browser(args.hashi, server, os.path.abspath(args.article), args.screenshot)
        check(server.alive(), "the server ran through every check")
    finally:
        server.stop()
    check_limits(args.hashi, article)
    print(f"check-serve: {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
