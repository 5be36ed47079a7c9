#!/usr/bin/env bash
# Starts everything locally: Azurite (data in .azurite/, its telemetry off), the Procore simulator
# and the app, all on 127.0.0.1, and prints where they are. Ctrl-C stops all three.
# The app starts only once Azurite and the simulator listen. Variables (defaults in brackets):
#   APP_PORT [7071, the port `func start` uses]   SIMULATOR_PORT [7072]
#   AZURITE_BLOB_PORT [10000]  AZURITE_QUEUE_PORT [10001]  AZURITE_TABLE_PORT [10002]
#   AZURITE_LOCATION [.azurite]  TELEMETRY_CONSOLE [0; 1 prints the app's traces and metrics]
#   START_LOCAL_CONFIGURATION [Debug]  START_LOCAL_SKIP_BUILD [0; 1 runs what was built before]
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${APP_PORT:-7071}
SIMULATOR_PORT=${SIMULATOR_PORT:-7072}
AZURITE_BLOB_PORT=${AZURITE_BLOB_PORT:-10000}
AZURITE_QUEUE_PORT=${AZURITE_QUEUE_PORT:-10001}
AZURITE_TABLE_PORT=${AZURITE_TABLE_PORT:-10002}
AZURITE_LOCATION=${AZURITE_LOCATION:-.azurite}
TELEMETRY_CONSOLE=${TELEMETRY_CONSOLE:-0}
CONFIGURATION=${START_LOCAL_CONFIGURATION:-Debug}

SIMULATOR_URL=http://127.0.0.1:$SIMULATOR_PORT
APP_URL=http://127.0.0.1:$APP_PORT
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

say() { echo "start-local: $*"; }

# Waits until $1 answers HTTP at all (any status: Azurite answers a bare GET with an error), while
# the process $3 that should answer it lives.
wait_for() { # url name pid
  for _ in $(seq 1 240); do
    curl -sS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "start-local: $2 exited before it listened at $1" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "start-local: $2 did not listen at $1 within 2 minutes" >&2
  exit 1
}

bash scripts/ensure-tools.sh
if [ "${START_LOCAL_SKIP_BUILD:-0}" != 1 ]; then
  dotnet build Functions.sln -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly
fi

mkdir -p "$AZURITE_LOCATION"
node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --skipApiVersionCheck --location "$AZURITE_LOCATION" \
  --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
  --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" &
azurite=$!
pids+=("$azurite")

dotnet "src/ProcoreSimulator/bin/$CONFIGURATION/net10.0/ProcoreSimulator.dll" --urls "$SIMULATOR_URL" &
simulator=$!
pids+=("$simulator")

for port in "$AZURITE_TABLE_PORT" "$AZURITE_QUEUE_PORT" "$AZURITE_BLOB_PORT"; do
  wait_for "http://127.0.0.1:$port/" "Azurite" "$azurite"
done
say "Azurite listens (tables :$AZURITE_TABLE_PORT, queues :$AZURITE_QUEUE_PORT, blobs :$AZURITE_BLOB_PORT)"
wait_for "$SIMULATOR_URL/" "The Procore simulator" "$simulator"
say "the Procore simulator listens at $SIMULATOR_URL"

account="AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export Storage__ConnectionString="DefaultEndpointsProtocol=http;$account;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$APP_URL" Service__PublicBaseUrl="$APP_URL"
export Telemetry__Console=$([ "$TELEMETRY_CONSOLE" = 1 ] && echo true || echo false)
for env in Production Sandbox Monthly Federal; do
  export "Procore__${env}__LoginBaseUrl=$SIMULATOR_URL" "Procore__${env}__ApiBaseUrl=$SIMULATOR_URL"
done
say "starting Procore Connect"
(cd src/ProcoreConnect && exec dotnet "bin/$CONFIGURATION/net10.0/ProcoreConnect.dll") &
app=$!
pids+=("$app")
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null --max-time 2 "$APP_URL/api/health" 2>/dev/null && break
  kill -0 "$app" 2>/dev/null || { echo "start-local: Procore Connect exited while starting" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null --max-time 5 "$APP_URL/api/health" || { echo "start-local: Procore Connect is not healthy at $APP_URL/api/health" >&2; exit 1; }

cat <<INFO

  Procore Connect    $APP_URL/api   (health: $APP_URL/api/health, reference: $APP_URL/api/reference/)
                     admin API key: dev-admin-key
  Procore simulator  $SIMULATOR_URL  demo apps: demo-app (code flow), demo-dmsa-app (DMSA)
                     a partner's stand-ins: events $SIMULATOR_URL/_simulator/partner-events,
                     return page $SIMULATOR_URL/_simulator/partner-return (allow origin $SIMULATOR_URL)
  Azurite            tables 127.0.0.1:$AZURITE_TABLE_PORT, queues :$AZURITE_QUEUE_PORT, blobs :$AZURITE_BLOB_PORT (data in $AZURITE_LOCATION/)
  Telemetry          $([ "$TELEMETRY_CONSOLE" = 1 ] && echo "traces and metrics on this console" || echo "off on the console (TELEMETRY_CONSOLE=1 prints it)")

Press Ctrl-C to stop.
INFO
wait
