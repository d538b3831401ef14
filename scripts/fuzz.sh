#!/usr/bin/env bash
# The fuzz suite at scale (issue 10): FuzzTest with 1 000 000 hostile requests by default, one
# seed, on SQLite. Asserts zero 5xx but 503, zero hangs and an unchanged catalog, as CI's
# 20 000-request run does, and prints "fuzz: N requests in S s, F failures …".
#   scripts/fuzz.sh [requests] [seed] [threads]
# Failures, with each request's bytes, go to target/fuzz-failures.txt (seed + index reproduce).
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000000}
seed=${2:-20261201}
threads=${3:-4}
exec bin/test -Dtest=FuzzTest -Dglint.skip.pg=true -Dsurefire.failIfNoSpecifiedTests=false \
  -Dglint.fuzz.requests="$requests" -Dglint.fuzz.seed="$seed" -Dglint.fuzz.threads="$threads"
