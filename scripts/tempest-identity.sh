#!/usr/bin/env bash
# Runs OpenStack tempest's identity v3 API tests against a fresh Glint and prints the counts.
#
#   scripts/tempest-identity.sh              # tempest.api.identity.(admin.)v3, serial
#   TEMPEST_REGEX='identity\.admin\.v3\.test_endpoints' scripts/tempest-identity.sh
#   ALL_FEATURES=1 scripts/tempest-identity.sh   # every identity feature flag and extension on
#   KEEP=1 scripts/tempest-identity.sh       # keep the data dir, Glint's log and the workspace
#
# Starts Glint on free loopback ports over a temporary data dir (SQLite), writes a tempest
# workspace whose tempest.conf uses dynamic credentials made with Glint's admin, marks only the
# image service available, and sets [identity-feature-enabled] for what Glint supports (override
# one flag with TEMPEST_<FLAG>=true|false, the extension list with TEMPEST_IDENTITY_EXTENSIONS;
# ALL_FEATURES=1 is issue 14's "done when" configuration). Needs Debian's python3-tempest
# (/usr/bin/tempest) and a JDK 21+ (bin/glint finds it). Not part of CI: a run takes minutes.
# Exit status: tempest's (non-zero when a test failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
regex="${TEMPEST_REGEX:-tempest\.api\.identity\.(admin\.)?v3}"
# What Glint supports today (every feature flag); each overridable. ALL_FEATURES=1 also lists
# every extension, OS-OAUTH1 and OS-REVOKE included.
trust="${TEMPEST_TRUST:-true}"
application_credentials="${TEMPEST_APPLICATION_CREDENTIALS:-true}"
access_rules="${TEMPEST_ACCESS_RULES:-true}"
project_tags="${TEMPEST_PROJECT_TAGS:-true}"
security_compliance="${TEMPEST_SECURITY_COMPLIANCE:-true}"
if [ -n "${ALL_FEATURES:-}" ]; then
  extensions="${TEMPEST_IDENTITY_EXTENSIONS:-all}"
else
  extensions="${TEMPEST_IDENTITY_EXTENSIONS:-OS-EP-FILTER,OS-EC2}"
fi
tempest=/usr/bin/tempest
if [ ! -x "$tempest" ]; then
  echo "tempest-identity: $tempest not found (apt-get install python3-tempest)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/glint-tempest.XXXXXX")"
glint_pid=""
cleanup() {
  if [ -n "$glint_pid" ]; then
    kill "$glint_pid" 2>/dev/null || true
    wait "$glint_pid" 2>/dev/null || true
  fi
  if [ -z "${KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "kept $work (Glint log: $work/glint.log, tempest workspace: $work/tempest)"
  fi
}
trap cleanup EXIT

read -r identity_port image_port compute_port < <(/usr/bin/python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks:
    s.close()
PY
)
admin_password="tempest-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# With security_compliance on, Glint is configured as tempest's [identity] defaults expect
# (lockout after 2 failures for 5 s, the last 2 passwords unique), as a Keystone would be.
compliance=()
if [ "$security_compliance" = true ]; then
  compliance=(GLINT_SECURITY_COMPLIANCE_LOCKOUT_FAILURE_ATTEMPTS=2
    GLINT_SECURITY_COMPLIANCE_LOCKOUT_DURATION=5
    GLINT_SECURITY_COMPLIANCE_UNIQUE_LAST_PASSWORD_COUNT=2)
fi

echo "starting Glint (identity :$identity_port, image :$image_port) in $work"
env ${compliance[@]+"${compliance[@]}"} GLINT_IDENTITY_PORT=$identity_port GLINT_IMAGE_PORT=$image_port \
  GLINT_COMPUTE_PORT=$compute_port GLINT_ADMIN_PASSWORD=$admin_password \
  GLINT_DEMO_PASSWORD="demo-$admin_password" GLINT_CONFIG="$work/none.yaml" \
  "$root/bin/glint" serve --data-dir "$work/data" >"$work/glint.log" 2>&1 &
glint_pid=$!
for _ in $(seq 1 180); do
  if curl -fs -o /dev/null "http://127.0.0.1:$identity_port/v3"; then
    break
  fi
  if ! kill -0 "$glint_pid" 2>/dev/null; then
    echo "tempest-identity: Glint did not start:" >&2
    tail -20 "$work/glint.log" >&2
    exit 2
  fi
  sleep 1
done

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
api_v2 = false
api_v2_admin = false
api_extensions = $extensions
trust = $trust
application_credentials = $application_credentials
access_rules = $access_rules
project_tags = $project_tags
security_compliance = $security_compliance
domain_specific_drivers = false
immutable_user_source = false

[service_available]
glance = true
nova = false
cinder = false
neutron = false
swift = false
horizon = false

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
