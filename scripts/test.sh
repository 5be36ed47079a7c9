#!/usr/bin/env bash
# Runs the tests (docs/testing.md). The tests start their own Azurite (127.0.0.1, free ports, in
# memory, --disableTelemetry), their own Procore simulator and fake Key Vault, and drive Debian's
# headless Chromium (installed by ensure-chromium.sh) at loopback only; nothing leaves loopback.
#
#   scripts/test.sh          every test, after the Bicep lint of infra/ (what CI runs)
#   scripts/test.sh --fast   the in-process tests: leaves out those marked [Slow(...)] (browsers,
#                            other processes, scale and chaos runs), and with them the Chromium
#                            install check and the Bicep lint, which only those need
# Further options go to dotnet test (e.g. --logger "trx;LogFileName=run.trx" for each test's times).
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
lane=""
if [ "${1:-}" = "--fast" ]; then
  fast=true
  lane=" (fast lane: tests marked slow left out)"
  shift
fi
case "${1:-}" in
  "" | -*) ;;
  *)
    echo "usage: scripts/test.sh [--fast] [dotnet test options, e.g. --logger trx]" >&2
    exit 2
    ;;
esac

bash scripts/ensure-tools.sh
filter=()
if $fast; then
  filter=(--filter "Category!=Slow")
else
  bash scripts/ensure-chromium.sh
  bash scripts/lint-infra.sh
fi

shots=tests/ProcoreConnect.Tests/bin/Release/net10.0/screenshots
rm -rf "$shots"
log=$(mktemp)
status=0
dotnet test Functions.sln -c Release --nologo "${filter[@]}" "$@" 2>&1 | tee "$log" || status=$?
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped$lane"
fi
rm -f "$log"
if [ -d "$shots" ]; then
  echo "screenshots (browser tests): $(cd "$shots" && pwd)"
  ls -1 "$shots" | sed 's/^/  /'
fi
exit "$status"
