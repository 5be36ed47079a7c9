#!/usr/bin/env bash
# Runs every test. The tests start their own Azurite (127.0.0.1, free ports, in memory,
# --disableTelemetry), their own Procore simulator and fake Key Vault, and drive Debian's headless
# Chromium (installed by ensure-chromium.sh) at loopback only; nothing leaves loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
bash scripts/ensure-chromium.sh
bash scripts/lint-infra.sh
shots=tests/ProcoreConnect.Tests/bin/Release/net10.0/screenshots
rm -rf "$shots"
log=$(mktemp)
status=0
dotnet test Functions.sln -c Release --nologo 2>&1 | tee "$log" || status=$?
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
rm -f "$log"
if [ -d "$shots" ]; then
  echo "screenshots (browser tests): $(cd "$shots" && pwd)"
  ls -1 "$shots" | sed 's/^/  /'
fi
exit "$status"
