#!/usr/bin/env bash
# Glint's benchmark: generate a catalog, start Glint on it, drive it with wrk over loopback,
# compare with nginx serving the same bytes, and report req/s, p50/p99, cold start and peak RSS.
#
#   bench/run.sh                       1 000 000 images / 1 000 projects on SQLite, 10 s per run
#   bench/run.sh --quick               10 000 images / 20 projects, 2 s per run (CI)
#   bench/run.sh --store postgresql    the same on PostgreSQL (127.0.0.1:5432, db test)
#   options: --images N --projects N --duration S --connections C --threads T
#            --generate-only (make the catalog and stop)
#
# Every list request runs twice in the same run: against Glint, then against nginx serving the
# very bytes Glint answered (saved once with curl), so each ratio compares like with like. The
# summary prints every target of issue 9 with MET or MISSED; the script fails only on errors
# (non-2xx answers, a server that does not start), never on a missed target, so CI can run
# --quick. Take numbers only on a quiet machine: the load and commit are printed first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/jdk.sh"
glint_find_jdk

images=1000000 projects=1000 duration=10 connections=32 threads=2 store=sqlite quick=0 generate_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 images=10000 projects=20 duration=2 ;;
    --images) images="$2"; shift ;;
    --projects) projects="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --store) store="$2"; shift ;;
    --generate-only) generate_only=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install wrk nginx-light curl python3)" >&2; exit 1; }
done

work="$root/bench/out/$store-$images-$projects"
mkdir -p "$work"
results="$work/results.txt"
: > "$results"
port_base=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768-60999)
idp=$port_base imp=$((port_base + 1)) cop=$((port_base + 2)) ngp=$((port_base + 3))
export GLINT_IDENTITY_PORT=$idp GLINT_IMAGE_PORT=$imp GLINT_COMPUTE_PORT=$cop
export GLINT_ADMIN_PASSWORD=bench-admin GLINT_DEMO_PASSWORD=bench-demo
export GLINT_LOG_LEVEL=WARN
data="$work/data"
if [ "$store" = postgresql ]; then
  schema="glint_bench_${images}_${projects}"
  export GLINT_STORE_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema"
  # One node: its data dir is its own, so the file store needs no sharing (docs/security.md).
  export GLINT_BLOB_FILE_SHARED=true
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA IF NOT EXISTS $schema" >/dev/null
fi

(cd "$root" && mvn -B -q -ntp -DskipTests package) >&2
# As bin/glint starts it: serial GC, and the class cache: on JDK 25+ the AOT cache (written when
# a training start stops, used by every later one; removed when older than the jar, which the
# build above may just have rewritten), before JDK 25 the AppCDS archive (written by the first
# start). -Xshare:off below measures a start without either.
java_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ "${java_major:-0}" -ge 25 ]; then
  jsa="$work/glint.aot"
  [ ! -f "$jsa" ] || [ "$jsa" -nt "$root/target/glint.jar" ] || rm -f "$jsa"
  cds=(-XX:AOTCache="$jsa") cds_train=(-XX:AOTCacheOutput="$jsa")
else
  jsa="$work/glint.jsa"
  cds=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$jsa") cds_train=("${cds[@]}")
fi
heap="${GLINT_BENCH_HEAP:-384m}" # the heap ceiling: GLINT_BENCH_HEAP=768m bench/run.sh
# As bin/glint and packaging/glint.service run it: two malloc arenas (docs/reliability.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
java_base=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx"$heap" -XX:+UseSerialGC -XX:NewRatio=4
  -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr)
java_cmd=("${java_base[@]}" "${cds[@]}" -jar "$root/target/glint.jar")

glint_pid="" node_b_pid="" nginx_dir="" errors=0
cleanup() {
  [ -n "$node_b_pid" ] && kill "$node_b_pid" 2>/dev/null && wait "$node_b_pid" 2>/dev/null || true
  [ -n "$glint_pid" ] && kill "$glint_pid" 2>/dev/null && wait "$glint_pid" 2>/dev/null || true
  [ -n "$nginx_dir" ] && nginx -p "$nginx_dir" -c nginx.conf -s stop 2>/dev/null || true
}
trap cleanup EXIT

start_glint() { # [extra JVM options...]: starts Glint, sets glint_pid and cold_ms (to first 200)
  local t0 t1
  t0=$(date +%s%N)
  "${java_base[@]}" "$@" -jar "$root/target/glint.jar" serve -d "$data" > "$work/glint.log" 2>&1 &
  glint_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$cop/")" = 200 ]; do
    kill -0 "$glint_pid" 2>/dev/null || { cat "$work/glint.log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  cold_ms=$(( (t1 - t0) / 1000000 ))
}
stop_glint() {
  kill "$glint_pid"; wait "$glint_pid" 2>/dev/null || true; glint_pid=""
}

token_and_project() { # [user password]: a token scoped to the user's own project (demo or admin)
  local user="${1:-demo}" password="${2:-bench-demo}"
  curl -s -i -X POST "http://127.0.0.1:$idp/v3/auth/tokens" -H 'Content-Type: application/json' -d '{
    "auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "'"$user"'",
      "domain": {"id": "default"}, "password": "'"$password"'"}}},
     "scope": {"project": {"name": "'"$user"'", "domain": {"id": "default"}}}}}' > "$work/token.txt"
  token=$(sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' "$work/token.txt" | tr -d '\r')
  project=$(python3 -c 'import json,sys; b=open(sys.argv[1]).read().split("\n\n",1)[1]; print(json.loads(b)["token"]["project"]["id"])' "$work/token.txt")
  [ -n "$token" ] && [ -n "$project" ] || { echo "could not get a token" >&2; cat "$work/token.txt" >&2; exit 1; }
}

# 1. The catalog: generated once per size and store, then reused.
if [ ! -f "$work/generated" ]; then
  start_glint "${cds[@]}"; token_and_project; stop_glint
  echo "generating $images images across $projects projects ($store)..." >&2
  "${java_cmd[@]}" gen-data -d "$data" --images "$images" --projects "$projects" --owner "$project" >&2
  touch "$work/generated"
fi

[ "$generate_only" = 1 ] && { echo "generated: $work" >&2; exit 0; }

{
  echo "load: $(uptime)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
  echo "store: $store, $images images / $projects projects, wrk -t$threads -c$connections -d${duration}s, Glint -Xmx$heap"
} | tee -a "$results"

# 2. Cold start to the first 200: once without the class cache, then (after a training start
# that writes the cache, if there is none yet) twice with it; the second is the figure.
start_glint -Xshare:off; cold_off=$cold_ms; stop_glint
if [ ! -f "$jsa" ]; then start_glint "${cds_train[@]}"; stop_glint; fi
start_glint "${cds[@]}"; stop_glint
start_glint "${cds[@]}"; cold_cds=$cold_ms
echo "cold start to first 200: ${cold_cds} ms with the class cache ($(basename "$jsa")), ${cold_off} ms without (-Xshare:off)" | tee -a "$results"

token_and_project
demo_token=$token demo_project=$project
token_and_project admin bench-admin
admin_token=$token admin_project=$project
token=$demo_token project=$demo_project

# Lists are answered by SQL while the in-memory index builds in the background; the runs measure
# the index, so they wait for the health check to report it caught up (and say how long it took).
index_ms=0
for _ in $(seq 1 600); do
  if curl -s -H "X-Auth-Token: $admin_token" -H 'Accept: application/json' \
      "http://127.0.0.1:$cop/healthcheck" \
      | python3 -c 'import json,sys; r=[x for x in json.load(sys.stdin)["reasons"] if x.get("class")=="catalog_index"]; sys.exit(0 if r and r[0]["reason"]=="OK" else 1)' 2>/dev/null; then
    break
  fi
  sleep 0.1
  index_ms=$((index_ms + 100))
done
echo "list index ready about ${index_ms} ms after the first 200 (lists use SQL until then)" | tee -a "$results"

lua="$work/auth.lua"
printf 'wrk.headers["X-Auth-Token"] = "%s"\nwrk.headers["Accept"] = "application/json"\n' "$token" > "$lua"
admin_lua="$work/admin.lua"
printf 'wrk.headers["X-Auth-Token"] = "%s"\nwrk.headers["Accept"] = "application/json"\n' "$admin_token" > "$admin_lua"

base="http://127.0.0.1:$cop/v2/$project/images"
admin_base="http://127.0.0.1:$cop/v2/$admin_project/images"
glance="http://127.0.0.1:$imp/v2/images"
deep=$(( images * 9 / 10 ))
marker=$("${java_cmd[@]}" gen-data -d "$data" --images "$images" --projects "$projects" --print-id "$((images - deep))")
# An image near the top (about the 50th newest): a page after it walks from a marker as the deep
# page does (first pages without a marker are kept by the hot lane; marker pages never are).
shallow=$("${java_cmd[@]}" gen-data -d "$data" --images "$images" --projects "$projects" --print-id "$((images - 50))")

# Every id the demo project sees (paged with limit=1000), for the random-marker run.
python3 - "$base" "$token" "$work/markers.txt" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
ids, marker = [], None
while True:
    url = base + "?limit=1000" + (f"&marker={marker}" if marker else "")
    req = urllib.request.Request(url, headers={"X-Auth-Token": token, "Accept": "application/json"})
    page = json.load(urllib.request.urlopen(req))["images"]
    ids += [i["id"] for i in page]
    if len(page) < 1000:
        break
    marker = page[-1]["id"]
open(out, "w").write("\n".join(ids) + "\n")
print(f"{len(ids)} images visible to the demo project", file=sys.stderr)
PY
random_lua="$work/random.lua"
cat > "$random_lua" <<LUA
-- Each request: the demo project's first page after a marker drawn from everything it sees.
-- The requests are formatted once, in init: wrk.format on every request cost wrk 24 us of CPU
-- per request against 21 us preformatted (12 us for a fixed request), CPU the two cores share
-- with the server measured.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
wrk.headers["X-Auth-Token"] = "$token"
wrk.headers["Accept"] = "application/json"
local requests = {}
function init(args)
  math.randomseed(os.time() * 100 + id)
  for line in io.lines("$work/markers.txt") do
    requests[#requests + 1] = wrk.format(nil, "/v2/$project/images?limit=25&marker=" .. line)
  end
end
request = function() return requests[math.random(#requests)] end
LUA

# A real server id (a snapshot's instance_uuid) for the server= filter, else one that matches nothing.
server=$(curl -s -H "X-Auth-Token: $token" -H 'Accept: application/json' "$base/detail?type=snapshot&limit=50" \
  | python3 -c 'import json,sys; print(next((i["server"]["id"] for i in json.load(sys.stdin)["images"] if "server" in i), "00000000-0000-4000-8000-000000000000"))')

# A name the demo project sees (that of its newest image), for the name= filter.
name=$(curl -s -H "X-Auth-Token: $token" -H 'Accept: application/json' "$base?limit=1" \
  | python3 -c 'import json,sys,urllib.parse; i=json.load(sys.stdin)["images"]; print(urllib.parse.quote(i[0]["name"]) if i else "none")')

# Warm-up (not recorded): the JIT compiles the list paths, and the demo and admin lists' runs
# are built, before the first measured row (the first row ran 20-30% below its steady state with
# a shorter warm-up that missed the paged paths).
for url in "$base?limit=25" "$base/detail?limit=25" "$glance?limit=25"; do
  wrk -t"$threads" -c"$connections" -d2s -s "$lua" "$url" > /dev/null 2>&1 || true
done
wrk -t"$threads" -c"$connections" -d3s -s "$random_lua" "$base" > /dev/null 2>&1 || true
wrk -t"$threads" -c"$connections" -d2s -s "$admin_lua" "$admin_base?limit=25&marker=$marker" > /dev/null 2>&1 || true
wrk -t"$threads" -c"$connections" -d2s -s "$lua" "$base?limit=25" > /dev/null 2>&1 || true

# nginx: one location serving every saved body as it was sent.
nginx_dir="$work/nginx"
mkdir -p "$nginx_dir/logs" "$nginx_dir/www"
cat > "$nginx_dir/nginx.conf" <<NGINX
worker_processes 2;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$ngp;
    location /r/ { default_type application/json; alias $nginx_dir/www/; }
  }
}
NGINX
nginx -p "$nginx_dir" -c nginx.conf

ms() { # wrk latency (123.45us, 1.23ms, 1.02s, 2.00m) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", n * f }'
}
declare -A RPS P50 P99 NGX
wrk_run() { # key url script: one wrk run; fills RPS/P50/P99 (ms); counts non-2xx and errors
  local key="$1" url="$2" script="$3" out="$work/wrk-$1.txt" non2xx sockerr
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$url" > "$out" 2>&1 || {
    echo "wrk failed on $key: $(cat "$out")" >&2; errors=$((errors + 1)); }
  RPS[$key]=$(awk '/Requests\/sec/ {print $2}' "$out")
  P50[$key]=$(ms "$(awk '$1=="50%" {print $2}' "$out")")
  P99[$key]=$(ms "$(awk '$1=="99%" {print $2}' "$out")")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$out")
  sockerr=$(awk '/Socket errors/' "$out")
  if [ -n "$non2xx" ]; then echo "ERROR: $key: $non2xx non-2xx answers" >&2; errors=$((errors + 1)); fi
  [ -n "$sockerr" ] && echo "note: $key: $sockerr" >&2
  return 0
}
rows=()
pair() { # key label url [script [saved-url]]: Glint, then nginx on the bytes Glint sent for saved-url
  local key="$1" label="$2" url="$3" script="${4:-$lua}" saved="${5:-$3}" tok code
  tok=$(sed -n 's/.*X-Auth-Token"\] = "\(.*\)"/\1/p' "$script" | head -1)
  code=$(curl -s -o "$nginx_dir/www/$key.json" -w '%{http_code}' -H "X-Auth-Token: $tok" \
    -H 'Accept: application/json' "$saved") || code="curl failed"
  [ "$code" = 200 ] || { echo "ERROR: $key: $saved answered $code" >&2; errors=$((errors + 1)); }
  wrk_run "$key" "$url" "$script"
  wrk_run "nginx-$key" "http://127.0.0.1:$ngp/r/$key.json" "$work/plain.lua"
  NGX[$key]=${RPS[nginx-$key]}
  rows+=("$key|$label|$(stat -c %s "$nginx_dir/www/$key.json")")
  printf '%-36s glint %9s req/s p50 %8s ms p99 %8s ms | nginx %9s req/s\n' "$label" "${RPS[$key]}" \
    "${P50[$key]}" "${P99[$key]}" "${NGX[$key]}" | tee -a "$results"
}
printf 'wrk.headers["Accept"] = "application/json"\n' > "$work/plain.lua"

month_ago=$(date -u -d '-30 days' +%Y-%m-%dT%H:%M:%SZ)
some_marker=$(sed -n "$(( ($(wc -l < "$work/markers.txt") + 1) / 2 ))p" "$work/markers.txt")
pair first   "seed list ?limit=25 (demo)"     "$base?limit=25"
pair random  "random marker, limit=25 (demo)" "$base?limit=25" "$random_lua" "$base?limit=25&marker=$some_marker"
pair l1000   "?limit=1000 (demo)"             "$base?limit=1000"
pair detail  "/images/detail?limit=25 (demo)" "$base/detail?limit=25"
pair name    "filter name="                   "$base?name=$name&limit=25"
pair status  "filter status=SAVING"           "$base?status=SAVING&limit=25"
pair type    "filter type=snapshot"           "$base?type=snapshot&limit=25"
pair server  "filter server="                 "$base?server=$server&limit=25"
pair since   "filter changes-since 30 days"   "$base?changes-since=$month_ago&limit=25"
pair glance  "Glance /v2/images?limit=25"     "$glance?limit=25"
pair gsorted "Glance sorted by name"          "$glance?limit=25&sort_key=name&sort_dir=asc"
pair admin   "admin first page ?limit=25"     "$admin_base?limit=25" "$admin_lua"
pair deep    "admin page at marker #$deep"    "$admin_base?limit=25&marker=$marker" "$admin_lua"
pair shallow "admin page at marker #50"       "$admin_base?limit=25&marker=$shallow" "$admin_lua"

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$glint_pid/status")
echo "peak RSS (VmHWM) after the runs: $((rss_kb / 1024)) MB" | tee -a "$results"

# Token issuing (bcrypt by design): for the record, no target.
cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"id": "default"}, "password": "bench-demo"}}}, "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}'
LUA
wrk_run token "http://127.0.0.1:$idp/v3/auth/tokens" "$work/token.lua"
printf '%-36s glint %9s req/s p50 %8s ms p99 %8s ms\n' "POST /v3/auth/tokens (bcrypt)" \
  "${RPS[token]}" "${P50[token]}" "${P99[token]}" | tee -a "$results"

# 3. PostgreSQL: a second node on the same schema; a write acknowledged by node A, then node B's
# list polled every 2 ms until it shows the image. Twenty writes; max and p50.
xnode=""
if [ "$store" = postgresql ]; then
  bi=$((port_base + 10)) bm=$((port_base + 11)) bc=$((port_base + 12))
  GLINT_IDENTITY_PORT=$bi GLINT_IMAGE_PORT=$bm GLINT_COMPUTE_PORT=$bc \
    "${java_cmd[@]}" serve -d "$data" > "$work/glint-b.log" 2>&1 &
  node_b_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$bc/")" = 200 ]; do
    kill -0 "$node_b_pid" 2>/dev/null || { cat "$work/glint-b.log" >&2; exit 1; }
    sleep 0.01
  done
  xnode=$(python3 - "$imp" "$bc" "$project" "$token" <<'PY'
import http.client, json, statistics, sys, time
a_port, b_port, project, token = sys.argv[1:5]
h = {"X-Auth-Token": token, "Accept": "application/json", "Content-Type": "application/json"}
a, b = http.client.HTTPConnection("127.0.0.1", int(a_port)), http.client.HTTPConnection("127.0.0.1", int(b_port))
lags = []
for i in range(20):
    a.request("POST", "/v2/images", json.dumps({"name": f"bench-cross-node-{i}"}), h)
    r = a.getresponse(); body = r.read()
    if r.status != 201:
        sys.exit(f"node A answered {r.status}: {body[:200]}")
    acked = time.monotonic(); image = json.loads(body)["id"]
    while True:
        b.request("GET", f"/v2/{project}/images?limit=5", headers=h)
        r = b.getresponse(); page = r.read().decode()
        if image in page:
            lags.append((time.monotonic() - acked) * 1000); break
        if time.monotonic() - acked > 30:
            sys.exit(f"node B never listed {image}")
        time.sleep(0.002)
    a.request("DELETE", f"/v2/images/{image}", headers=h); a.getresponse().read()
print(f"{max(lags):.1f} {statistics.median(lags):.1f}")
PY
  ) || { echo "ERROR: cross-node run failed" >&2; errors=$((errors + 1)); xnode=""; }
  kill "$node_b_pid"; wait "$node_b_pid" 2>/dev/null || true; node_b_pid=""
  [ -n "$xnode" ] && echo "write on node A visible in node B's list: max ${xnode% *} ms, p50 ${xnode#* } ms (20 writes)" | tee -a "$results"
fi
nginx -p "$nginx_dir" -c nginx.conf -s stop; nginx_dir=""

# 4. The targets of issue 9, each with its verdict.
{
  echo
  echo "targets (issue 9)                              measured                      target    verdict"
  verdict() { # label measured target ok(0/1)
    printf '%-46s %-29s %-9s %s\n' "$1" "$2" "$3" "$([ "$4" = 1 ] && echo MET || echo MISSED)"
  }
  ratio_row() { # key min-ratio
    local key="$1" min="$2" label size r ok
    for row in "${rows[@]}"; do [ "${row%%|*}" = "$key" ] && { label=$(echo "$row" | cut -d'|' -f2); size=$(echo "$row" | cut -d'|' -f3); }; done
    r=$(awk -v g="${RPS[$key]:-0}" -v n="${NGX[$key]:-0}" 'BEGIN { printf "%.3f", (n > 0 ? g / n : 0) }')
    ok=$(awk -v r="$r" -v m="$min" 'BEGIN { print (r >= m) ? 1 : 0 }')
    verdict "$label ($size B)" "${r}x nginx (${RPS[$key]}/${NGX[$key]})" ">= ${min}x" "$ok"
  }
  ratio_row first 0.5
  ratio_row random 0.5
  ratio_row l1000 0.1
  ratio_row detail 0.4
  for k in name status type server since glance gsorted; do ratio_row "$k" 0.25; done
  dr=$(awk -v d="${P50[deep]:-0}" -v f="${P50[admin]:-0}" 'BEGIN { printf "%.2f", (f > 0 ? d / f : 0) }')
  sr=$(awk -v d="${P50[deep]:-0}" -v f="${P50[shallow]:-0}" 'BEGIN { printf "%.2f", (f > 0 ? d / f : 0) }')
  echo "(for reference: deep marker p50 / page at marker #50 p50, both walked from a marker: ${sr}x)"
  verdict "deep marker p50 / first page p50 (admin)" "${dr}x (${P50[deep]} / ${P50[admin]} ms)" "<= 1.2x" \
    "$(awk -v r="$dr" 'BEGIN { print (r <= 1.2) ? 1 : 0 }')"
  verdict "p99 of ?limit=25 at $connections connections" "${P99[first]} ms" "<= 10 ms" \
    "$(awk -v p="${P99[first]:-999}" 'BEGIN { print (p <= 10) ? 1 : 0 }')"
  verdict "cold start to first 200 ($images images)" "$cold_cds ms (no CDS: $cold_off ms)" "< 1500 ms" \
    "$([ "$cold_cds" -lt 1500 ] && echo 1 || echo 0)"
  verdict "peak RSS under load (VmHWM)" "$((rss_kb / 1024)) MB" "< 512 MB" \
    "$([ "$((rss_kb / 1024))" -lt 512 ] && echo 1 || echo 0)"
  if [ -n "$xnode" ]; then
    verdict "write on A visible in B's list (max of 20)" "${xnode% *} ms (p50 ${xnode#* } ms)" "< 1000 ms" \
      "$(awk -v m="${xnode% *}" 'BEGIN { print (m < 1000) ? 1 : 0 }')"
  elif [ "$store" != postgresql ]; then
    echo "write on A visible in B's list: PostgreSQL only (--store postgresql)"
  fi
  if [ "$quick" = 1 ]; then
    echo "(--quick: a small catalog and short runs; the targets are for the full run)"
  fi
} | tee -a "$results"
echo "results: $results"
if [ "$errors" -gt 0 ]; then
  echo "bench: $errors error(s), see above" >&2
  exit 1
fi
