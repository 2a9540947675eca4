#!/usr/bin/env bash
# Runs the whole test suite: installs the servers the tests need (first run only), builds,
# and runs every test project against real Redis, Garnet, Swift's S3 API and the filesystem.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Postroom.slnx -c Release 2>&1 | tee "$log" || status=$?

# One closing line for CI: the per-project "Passed!/Failed!" summaries, added up.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
     } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit $status
