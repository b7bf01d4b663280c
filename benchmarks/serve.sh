#!/usr/bin/env bash
# Load test of `hashi serve`: look-ups a second and latency percentiles with 16
# concurrent clients (wrk over loopback, keep-alive), the server's peak memory,
# errors, and its memory growth over a run of 100,000 look-ups.
#
#   benchmarks/serve.sh [--requests 100000] [--connections 16] [--threads 2]
#
# The queries are generated from the dictionaries as in benchmarks/lookup.sh
# (exact Japanese forms, variants, English names in various cases, romaji,
# misses), GET /lookup?guess=false&q=…, each connection cycling through them.
# A warm-up of 3 s comes first (every worker made, the romaji index built; it
# also gives the rate, from which the measured run's length is set to make at
# least --requests requests); the server's resident memory after the warm-up and
# after the run is compared.
# Needs wrk (apt-get install wrk). Uses $HASHI_BIN, or builds the release hashi.
# Every request goes to 127.0.0.1, and each run stops after its time (300 s at most).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
requests=100000 connections=16 threads=2
while (($#)); do
  case $1 in
    --requests) requests=${2:?}; shift 2 ;;
    --connections) connections=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "serve.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
if [[ -z ${HASHI_BIN:-} ]]; then
  (cd "$repo" && swift build -c release --product hashi >&2)
  HASHI_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/hashi
fi
unset HASHI_DICT
export HASHI_EDICT_INDEX=${HASHI_EDICT_INDEX:-/nonexistent/bench.idx}
tmp=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# Queries, percent-encoded paths, one a line.
python3 - "$repo/dictionaries" > "$tmp/paths.txt" <<'PY'
import glob, random, sys, unicodedata, urllib.parse
random.seed(7)
ja, en = [], []
for path in sorted(glob.glob(sys.argv[1] + "/*.tsv")):
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) != 8 or f[0] == "id" or line.startswith("#"):
            continue
        en.append(f[1].strip())
        en += [a.strip() for a in f[4].split("|") if a.strip()]
        ja += [j.strip() for j in f[3].split("|") if j.strip()]
def variant(s):
    if "ウェ" in s: return s.replace("ウェ", "ウエ")
    if s.endswith("ー"): return s[:-1]
    return unicodedata.normalize("NFKC", s).lower() if s.isascii() else s + "ー"
romaji = ["faauei", "fāuei", "enubidia", "asendo", "kirin", "konpyuutaa", "deetasentaa", "kuraudo"]
katakana = [chr(c) for c in range(0x30A2, 0x30F3)]
queries = []
for _ in range(20000):
    r = random.random()
    if r < 0.40: q = random.choice(ja)
    elif r < 0.55: q = variant(random.choice(ja))
    elif r < 0.80:
        q = random.choice(en)
        q = random.choice([q, q.lower(), q.upper()])
    elif r < 0.85: q = random.choice(romaji)
    else: q = "".join(random.choice(katakana) for _ in range(random.randint(3, 7)))
    queries.append(q)
for q in queries:
    print("/lookup?guess=false&q=" + urllib.parse.quote(q, safe=""))
PY

cat > "$tmp/lookups.lua" <<'LUA'
-- Each connection cycles through the paths from a random offset.
local paths, n = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  n = math.random(#paths)
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
LUA

"$HASHI_BIN" serve --port 0 2> "$tmp/serve.log" &
server=$!
for _ in $(seq 100); do grep -q 'http://' "$tmp/serve.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log" | head -1)
[[ -n $port ]] || { echo "serve.sh: the server did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
kb() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$server/status"; }

run() {  # seconds → the RESULT line (wrk runs for a duration, not a count)
  wrk -t"$threads" -c"$connections" -d"$1"s --timeout 10s -s "$tmp/lookups.lua" \
    "http://127.0.0.1:$port" -- "$tmp/paths.txt" | grep '^RESULT'
}
start_rss=$(kb VmRSS)
# Warm-up, which also measures the rate: the measured run lasts long enough
# for --requests requests at that rate, plus a tenth.
warm=$(run 3)
rate=$(echo "$warm" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { print v["requests"] / v["seconds"] }')
seconds=$(awk -v n="$requests" -v r="$rate" 'BEGIN { s = int(n / r * 1.1) + 1; print (s > 300 ? 300 : s) }')
warm_rss=$(kb VmRSS)
result=$(run "$seconds")
end_rss=$(kb VmRSS)
peak=$(kb VmHWM)
kill -0 "$server" || { echo "serve.sh: the server died" >&2; exit 1; }

want=$requests
eval "$(echo "$result" | sed 's/^RESULT //')"
printf 'hashi serve, GET /lookup, %s connections, %s wrk threads, %s requests in %s s (after a 3 s warm-up)\n' \
  "$connections" "$threads" "$requests" "$seconds"
printf '  look-ups a second   %.0f\n' "$(echo "$requests / $seconds" | bc -l)"
printf '  latency ms          p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n' "$p50" "$p90" "$p99" "$p999" "$max"
printf '  errors              %s\n' "$errors"
((requests >= want)) || echo "  (fewer requests than asked: the rate fell during the run)"
printf '  server RSS MB       start %.1f, after warm-up %.1f, after the run %.1f (growth %.1f), peak %.1f\n' \
  "$(echo "$start_rss / 1024" | bc -l)" "$(echo "$warm_rss / 1024" | bc -l)" "$(echo "$end_rss / 1024" | bc -l)" \
  "$(echo "($end_rss - $warm_rss) / 1024" | bc -l)" "$(echo "$peak / 1024" | bc -l)"

# Then POST /annotate with the user's article (when ../shared is there), 10 s.
article=$repo/../shared/corpora/000_3a678e2742afd61d.txt
if [[ -f $article ]]; then
  cat > "$tmp/annotate.lua" <<'LUA'
local f = io.open(os.getenv("ARTICLE"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%.3f p99=%.3f errors=%d\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
LUA
  result=$(ARTICLE=$article wrk -t"$threads" -c"$connections" -d10s --timeout 30s -s "$tmp/annotate.lua" \
    "http://127.0.0.1:$port/annotate" | grep '^RESULT')
  eval "$(echo "$result" | sed 's/^RESULT //')"
  printf 'POST /annotate, the user'"'"'s article (%s bytes), %s connections, 10 s\n' "$(wc -c < "$article")" "$connections"
  printf '  articles a second   %.1f   latency ms p50 %s  p99 %s   errors %s   peak RSS %.1f MB\n' \
    "$(echo "$requests / $seconds" | bc -l)" "$p50" "$p99" "$errors" "$(echo "$(kb VmHWM) / 1024" | bc -l)"
fi
