#!/usr/bin/env bash
# Starts everything locally on embedded defaults: Azurite (127.0.0.1:10000-10002, data in
# .azurite/, telemetry off), the Procore simulator (127.0.0.1:7072) and the app (127.0.0.1:7071,
# the port `func start` uses). Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh

SIMULATOR_URL=http://127.0.0.1:7072
APP_URL=http://127.0.0.1:7071
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_for() { # url name
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$2 did not come up at $1" >&2
  exit 1
}

dotnet build Functions.sln -c Debug --nologo -v quiet -clp:ErrorsOnly

mkdir -p .azurite
node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --skipApiVersionCheck \
  --location .azurite --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
pids+=($!)

dotnet src/ProcoreSimulator/bin/Debug/net10.0/ProcoreSimulator.dll --urls "$SIMULATOR_URL" &
pids+=($!)
wait_for "$SIMULATOR_URL/" "The Procore simulator"

export ASPNETCORE_ENVIRONMENT=Development Telemetry__Console=true
for env in Production Sandbox Monthly Federal; do
  export "Procore__${env}__LoginBaseUrl=$SIMULATOR_URL" "Procore__${env}__ApiBaseUrl=$SIMULATOR_URL"
done
(cd src/ProcoreConnect && dotnet bin/Debug/net10.0/ProcoreConnect.dll) &
pids+=($!)
wait_for "$APP_URL/api/health" "Procore Connect"

cat <<INFO

  Procore Connect    $APP_URL/api   (health: $APP_URL/api/health)
  Procore simulator  $SIMULATOR_URL  (demo apps: demo-app, code flow; demo-dmsa-app, DMSA)
  Azurite            tables 127.0.0.1:10002, queues :10001, blobs :10000 (data in .azurite/)

Press Ctrl-C to stop.
INFO
wait
