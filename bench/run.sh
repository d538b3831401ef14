#!/usr/bin/env bash
# Glint's benchmark: generate a catalog, start Glint on it, drive it with wrk over loopback,
# compare with nginx serving the same bytes, and report req/s, p50/p99, cold start and peak RSS.
#
#   bench/run.sh                       1 000 000 images / 1 000 projects on SQLite, 10 s per run
#   bench/run.sh --quick               10 000 images / 20 projects, 2 s per run (CI)
#   bench/run.sh --store postgresql    the same on PostgreSQL (127.0.0.1:5432, db test)
#   options: --images N --projects N --duration S --connections C --threads T
#            --generate-only (make the catalog and stop)
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
port_base=$((20000 + RANDOM % 20000))
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
java_cmd=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx384m -XX:+UseSerialGC -jar "$root/target/glint.jar")

glint_pid=""
nginx_dir=""
cleanup() {
  [ -n "$glint_pid" ] && kill "$glint_pid" 2>/dev/null && wait "$glint_pid" 2>/dev/null || true
  [ -n "$nginx_dir" ] && nginx -p "$nginx_dir" -c nginx.conf -s stop 2>/dev/null || true
}
trap cleanup EXIT

start_glint() {
  local t0 t1
  t0=$(date +%s%N)
  "${java_cmd[@]}" serve -d "$data" > "$work/glint.log" 2>&1 &
  glint_pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$cop/"; do
    kill -0 "$glint_pid" 2>/dev/null || { cat "$work/glint.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  cold_ms=$(( (t1 - t0) / 1000000 ))
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
  start_glint; token_and_project; kill "$glint_pid"; wait "$glint_pid" 2>/dev/null || true; glint_pid=""
  echo "generating $images images across $projects projects ($store)..." >&2
  "${java_cmd[@]}" gen-data -d "$data" --images "$images" --projects "$projects" --owner "$project" >&2
  touch "$work/generated"
fi

[ "$generate_only" = 1 ] && { echo "generated: $work" >&2; exit 0; }

# 2. Cold start to first 200, then a token.
start_glint
token_and_project
echo "cold start to first response: ${cold_ms} ms" | tee -a "$results"

lua="$work/auth.lua"
cat > "$lua" <<LUA
wrk.headers["X-Auth-Token"] = "$token"
wrk.headers["Accept"] = "application/json"
LUA

base="http://127.0.0.1:$cop/v2/$project/images"
# The deep-marker runs need a caller who sees nearly the whole catalog: the admin.
demo_token=$token demo_project=$project
token_and_project admin bench-admin
admin_token=$token admin_project=$project
token=$demo_token project=$demo_project
admin_base="http://127.0.0.1:$cop/v2/$admin_project/images"
deep=$(( images * 9 / 10 ))
marker=$("${java_cmd[@]}" gen-data -d "$data" --images "$images" --projects "$projects" --print-id "$((images - deep))")
admin_lua="$work/admin.lua"
printf 'wrk.headers["X-Auth-Token"] = "%s"\n' "$admin_token" > "$admin_lua"
run() { # name url [lua]
  local name="$1" url="$2" script="${3:-$lua}" rps p50 p99
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$url" > "$work/wrk-$name.txt" 2>&1
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk-$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk-$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$work/wrk-$name.txt")
  printf '%-28s %10s req/s  p50 %8s  p99 %8s%s\n' "$name" "$rps" "$p50" "$p99" \
    "${non2xx:+  NON-2XX: $non2xx}" | tee -a "$results"
}

since=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
run "list limit=25" "$base?limit=25"
run "list limit=1000" "$base?limit=1000"
run "detail limit=25" "$base/detail?limit=25"
run "admin first page" "$admin_base?limit=25" "$admin_lua"
run "admin marker@${deep}" "$admin_base?limit=25&marker=$marker" "$admin_lua"
run "changes-since (nothing)" "$base?changes-since=$since"
run "filter name" "$base?name=ubuntu-22-web-v7&limit=25"
run "filter status=SAVING" "$base?status=SAVING&limit=25"
run "filter type=snapshot" "$base?type=snapshot&limit=25"
run "filter server" "$base?server=00000000-0000-4000-8000-000000000000"
run "changes-since 30 days" "$base?changes-since=$(date -u -d '-30 days' +%Y-%m-%d)&limit=25"

# Token issuing: POST with a body.
cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"id": "default"}, "password": "bench-demo"}}}, "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}'
LUA
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$work/token.lua" "http://127.0.0.1:$idp/v3/auth/tokens" > "$work/wrk-token.txt" 2>&1
printf '%-28s %10s req/s  p50 %8s  p99 %8s\n' "token issue (bcrypt)" \
  "$(awk '/Requests\/sec/ {print $2}' "$work/wrk-token.txt")" \
  "$(awk '$1=="50%" {print $2}' "$work/wrk-token.txt")" \
  "$(awk '$1=="99%" {print $2}' "$work/wrk-token.txt")" | tee -a "$results"

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$glint_pid/status")
echo "peak RSS (VmHWM) after the runs: $((rss_kb / 1024)) MB" | tee -a "$results"

# 3. The ceiling: nginx serving the exact bytes of the limit=25 answer.
nginx_dir="$work/nginx"
mkdir -p "$nginx_dir/logs" "$nginx_dir/www"
curl -s -H "X-Auth-Token: $token" "$base?limit=25" > "$nginx_dir/www/images.json"
cat > "$nginx_dir/nginx.conf" <<NGINX
worker_processes 2;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$ngp;
    location = /images { default_type application/json; alias $nginx_dir/www/images.json; }
  }
}
NGINX
nginx -p "$nginx_dir" -c nginx.conf
run "nginx same bytes" "http://127.0.0.1:$ngp/images"
nginx -p "$nginx_dir" -c nginx.conf -s stop; nginx_dir=""

python3 - "$results" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
def rps(name):
    for l in lines:
        if l.startswith(name): return float(l[28:].split()[0])
g, n = rps("list limit=25"), rps("nginx same bytes")
print(f"glint list limit=25 / nginx ceiling: {100 * g / n:.0f}%")
PY
echo "results: $results"
