#!/usr/bin/env bash
# Runs OpenStack tempest's image v2 API tests against a fresh Glint and prints the counts.
#
#   scripts/tempest-image.sh                 # tempest.api.image.v2, serial
#   TEMPEST_REGEX='metadefs' scripts/tempest-image.sh
#   KEEP=1 scripts/tempest-image.sh          # keep the data dir, Glint's log and the workspace
#   TEMPEST_NODES=1 scripts/tempest-image.sh # one node on SQLite, even when PostgreSQL is there
#
# Starts Glint on free loopback ports over a temporary data dir (SQLite) with two named file
# stores (file1, the default, and file2), the glance-direct, web-download and copy-image import
# methods, web-download allowed from loopback and the image cache on with a prefetch run every
# second (tempest's cache test expects a queued image to be listed as queued first); glance-download too, from
# the catalog's own image endpoint (loopback, its port allowed: the import filter applies to it as
# in Glance). When PostgreSQL answers at 127.0.0.1:5432 (db test, user postgres, trust; override
# with TEMPEST_PG_URL, a psql connection string) and TEMPEST_NODES is not 1, the catalog is a
# fresh schema there and a second Glint node shares it and the data dir (Fernet keys, stores,
# staging), registered in the catalog as service type image_remote (public endpoint in RegionOne)
# and named as tempest's [image] alternate_image_endpoint, so test_remote_import and
# test_remote_delete run (docs/compatibility.md). Starts a loopback HTTP
# server (python3 -m http.server) serving a small image as tempest's [image] http_image; writes a
# tempest workspace whose tempest.conf uses dynamic credentials made with Glint's admin, enables
# only the image service, and sets [image-feature-enabled] as issue 13 asks (import_image and
# os_glance_reserved on) plus manage_locations, with Glint's show_multiple_locations and
# show_image_direct_url on (docs/locations.md; the same loopback image). Needs Debian's
# python3-tempest (/usr/bin/tempest) and a JDK 21+ (bin/glint finds it). Not part of CI: a run
# takes minutes.
# Exit status: tempest's (non-zero when a test failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
regex="${TEMPEST_REGEX:-tempest\.api\.image\.v2}"
tempest=/usr/bin/tempest
if [ ! -x "$tempest" ]; then
  echo "tempest-image: $tempest not found (apt-get install python3-tempest)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/glint-tempest.XXXXXX")"
glint_pid=""
glint2_pid=""
web_pid=""
pg_url="${TEMPEST_PG_URL:-host=127.0.0.1 port=5432 dbname=test user=postgres}"
pg_schema=""
cleanup() {
  if [ -n "$glint2_pid" ]; then
    kill "$glint2_pid" 2>/dev/null || true
    wait "$glint2_pid" 2>/dev/null || true
  fi
  if [ -n "$web_pid" ]; then
    kill "$web_pid" 2>/dev/null || true
    wait "$web_pid" 2>/dev/null || true
  fi
  if [ -n "$glint_pid" ]; then
    kill "$glint_pid" 2>/dev/null || true
    wait "$glint_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_schema" ] && [ -z "${KEEP:-}" ]; then
    psql "$pg_url" -qc "DROP SCHEMA IF EXISTS $pg_schema CASCADE" >/dev/null 2>&1 || true
  fi
  if [ -z "${KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "kept $work (Glint log: $work/glint.log, tempest workspace: $work/tempest)"
  fi
}
trap cleanup EXIT

read -r identity_port image_port compute_port identity2_port image2_port compute2_port \
  < <(/usr/bin/python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks:
    s.close()
PY
)
# The image server for web-download (tempest's http_image): a port below 32768, so it is never
# one the kernel hands out as an ephemeral port meanwhile.
web_port="$(/usr/bin/python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
)"
mkdir -p "$work/web"
head -c 1048576 /dev/urandom >"$work/web/image.raw"
/usr/bin/python3 -m http.server "$web_port" --bind 127.0.0.1 --directory "$work/web" \
  >"$work/web.log" 2>&1 &
web_pid=$!
admin_password="tempest-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Two nodes need a catalog both can write: SQLite serves one process (its start-up recovery
# would cut off the other node's uploads), so the second node comes only with PostgreSQL.
store_env=()
if [ "${TEMPEST_NODES:-2}" != 1 ] && command -v psql >/dev/null \
    && psql "$pg_url" -qtAc 'SELECT 1' >/dev/null 2>&1; then
  pg_schema="glint_tempest_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  psql "$pg_url" -qc "CREATE SCHEMA $pg_schema" >/dev/null
  jdbc="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$pg_schema"
  if [ -n "${TEMPEST_PG_JDBC:-}" ]; then
    jdbc="$TEMPEST_PG_JDBC&currentSchema=$pg_schema"
  fi
  store_env=(GLINT_STORE_URL="$jdbc" GLINT_BLOB_FILE_SHARED=true)
  echo "catalog: PostgreSQL schema $pg_schema; a second node will share it"
else
  echo "catalog: SQLite, one node (test_remote_import and test_remote_delete will skip)"
fi

# Both nodes: the same configuration, data dir and catalog. The second node's public URLs are the
# first node's (what the catalog's image, identity and compute entries say, as behind a load
# balancer); only its listener ports differ, and the catalog names it as image_remote.
glint_env=(
  GLINT_ADMIN_PASSWORD="$admin_password" GLINT_DEMO_PASSWORD="demo-$admin_password"
  GLINT_CONFIG="$work/none.yaml"
  GLINT_ENABLED_BACKENDS="file1:file, file2:file" GLINT_DEFAULT_BACKEND=file1
  GLINT_IMPORT_ENABLED_METHODS="glance-direct,web-download,copy-image,glance-download"
  GLINT_IMPORT_FILTERING_ALLOWED_PORTS="80,443,$web_port,$image_port"
  GLINT_IMPORT_FILTERING_ALLOW_LOOPBACK=true
  GLINT_SHOW_MULTIPLE_LOCATIONS=true GLINT_SHOW_IMAGE_DIRECT_URL=true
  GLINT_IDENTITY_PUBLIC_URL="http://127.0.0.1:$identity_port"
  GLINT_IMAGE_PUBLIC_URL="http://127.0.0.1:$image_port"
  GLINT_COMPUTE_PUBLIC_URL="http://127.0.0.1:$compute_port"
  "${store_env[@]}"
)

wait_for() { # pid log identity-port image-port
  for _ in $(seq 1 180); do
    if curl -fs -o /dev/null "http://127.0.0.1:$3/v3" \
        && curl -fs -o /dev/null "http://127.0.0.1:$4/versions" \
        && curl -fs -o /dev/null "http://127.0.0.1:$web_port/image.raw"; then
      return 0
    fi
    if ! kill -0 "$1" 2>/dev/null; then
      echo "tempest-image: Glint did not start:" >&2
      tail -20 "$2" >&2
      exit 2
    fi
    sleep 1
  done
  echo "tempest-image: Glint did not answer within 180 s" >&2
  exit 2
}

echo "starting Glint (identity :$identity_port, image :$image_port) in $work"
env "${glint_env[@]}" GLINT_IMAGE_CACHE_ENABLED=true GLINT_IMAGE_CACHE_PREFETCHER_INTERVAL=1 \
  GLINT_IDENTITY_PORT=$identity_port GLINT_IMAGE_PORT=$image_port \
  GLINT_COMPUTE_PORT=$compute_port \
  "$root/bin/glint" serve --data-dir "$work/data" >"$work/glint.log" 2>&1 &
glint_pid=$!
wait_for "$glint_pid" "$work/glint.log" "$identity_port" "$image_port"

alternate=""
if [ -n "$pg_schema" ]; then
  echo "starting the second node (identity :$identity2_port, image :$image2_port)"
  # No image cache (the first node's tempest cache tests own it) and no class cache of its own
  # (the first node writes target/glint.aot when it stops).
  env "${glint_env[@]}" GLINT_CDS=off \
    GLINT_IDENTITY_PORT=$identity2_port GLINT_IMAGE_PORT=$image2_port \
    GLINT_COMPUTE_PORT=$compute2_port \
    "$root/bin/glint" serve --data-dir "$work/data" >"$work/glint2.log" 2>&1 &
  glint2_pid=$!
  wait_for "$glint2_pid" "$work/glint2.log" "$identity2_port" "$image2_port"
  # The catalog entry tempest's image_client_remote looks up: a service of type image_remote with
  # a public endpoint in RegionOne at the second node (devstack's glance_remote, as tempest's
  # [image] alternate_image_endpoint names it).
  keystone="http://127.0.0.1:$identity_port/v3"
  token="$(curl -fsi "$keystone/auth/tokens" -H 'Content-Type: application/json' -d "{\"auth\":
    {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\",
    \"domain\": {\"name\": \"Default\"}, \"password\": \"$admin_password\"}}}, \"scope\":
    {\"project\": {\"name\": \"admin\", \"domain\": {\"name\": \"Default\"}}}}}" \
    | awk 'tolower($1) == "x-subject-token:" {print $2}' | tr -d '\r')"
  service="$(curl -fs "$keystone/services" -H "X-Auth-Token: $token" \
    -H 'Content-Type: application/json' \
    -d '{"service": {"type": "image_remote", "name": "glance_remote", "enabled": true}}' \
    | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["service"]["id"])')"
  curl -fs -o /dev/null "$keystone/endpoints" -H "X-Auth-Token: $token" \
    -H 'Content-Type: application/json' \
    -d "{\"endpoint\": {\"service_id\": \"$service\", \"interface\": \"public\",
      \"region_id\": \"RegionOne\", \"url\": \"http://127.0.0.1:$image2_port\"}}"
  alternate="alternate_image_endpoint = image_remote
alternate_image_endpoint_type = public"
fi

cd "$work"
# A private workspace registry: nothing is added to ~/.tempest.
"$tempest" init --workspace-path "$work/workspace.yaml" --name "glint-$(basename "$work")" tempest \
  >"$work/tempest-init.log" 2>&1
cat >tempest/etc/tempest.conf <<CONF
[DEFAULT]
log_file = tempest.log

[auth]
use_dynamic_credentials = true
admin_username = admin
admin_password = $admin_password
admin_project_name = admin
admin_domain_name = Default
default_credentials_domain_name = Default

[identity]
uri_v3 = http://127.0.0.1:$identity_port/v3
auth_version = v3
region = RegionOne

[identity-feature-enabled]
api_v3 = true

[service_available]
glance = true
nova = false
cinder = false
neutron = false
swift = false
horizon = false

[image]
image_caching_enabled = true
http_image = http://127.0.0.1:$web_port/image.raw
# Every wait here is for work of seconds: a failure need not wait tempest's 300 s.
build_timeout = 60
$alternate

[image-feature-enabled]
api_v2 = true
api_v1 = false
import_image = true
os_glance_reserved = true
manage_locations = true

[validation]
run_validation = false
CONF

cd tempest
set +e
"$tempest" run --serial --regex "$regex" >"$work/tempest-run.log" 2>&1
status=$?
set -e
grep -E '^ - (Passed|Skipped|Failed|Expected Fail|Unexpected Success):|^Ran: ' "$work/tempest-run.log" || true
echo "skipped:"
grep -E '\.\.\. SKIPPED' "$work/tempest-run.log" | sed -E 's/^\{[0-9]+\} /  /; s/ \[[^]]*\]//' || true
echo "failing tests:"
stestr failing --list 2>/dev/null | sed 's/\[.*$//' | sort -u | sed 's/^/  /' || true
exit $status
