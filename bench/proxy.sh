#!/usr/bin/env bash
# The Procore proxy against direct calls, in the same run, on this machine:
#   1. GET /rest/v1.0/echo/x at the simulator, direct (with the token and company headers a partner
#      would send) and through /api/workspaces/{id}/procore/… (wrk, 4 connections, then 32)
#   2. a 200 MB download through the proxy: the app's resident memory before and after, and its peak
# Usage: bench/proxy.sh [seconds-per-load-run=30]. Everything listens on 127.0.0.1 only. The app runs
# from its Release build (dotnet ProcoreConnect.dll), not the published package.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/ProcoreConnect -c Release --nologo -v quiet >/dev/null
dotnet build src/ProcoreSimulator -c Release --nologo -v quiet >/dev/null

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 21100 --queuePort 21101 --tablePort 21102 &
pids+=($!)
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/21102) 2>/dev/null && break; sleep 0.1; done
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:21100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:21101/devstoreaccount1;TableEndpoint=http://127.0.0.1:21102/devstoreaccount1;"
sim=http://127.0.0.1:21110
dotnet src/ProcoreSimulator/bin/Release/net10.0/ProcoreSimulator.dll --urls $sim >/dev/null 2>&1 &
pids+=($!)
wait_for $sim/
# Rate limits out of the way: this measures the proxy, not Procore's budget.
curl -fsS -o /dev/null -X PUT $sim/_simulator/faults -H 'Content-Type: application/json' -d '{"rateLimitPerHour":100000000,"spikeLimitPer10Seconds":100000000}'

admin_key="bench-admin-key"
export Storage__ConnectionString="$storage" Storage__TablePrefix="proxy$RANDOM" \
  SecretStore__LocalKey="$(head -c 32 /dev/urandom | base64)" \
  Auth__AdminKeySha256="$(printf %s "$admin_key" | sha256sum | cut -d' ' -f1)" \
  Scheduler__Enabled=false Logging__LogLevel__Default=Warning
for env in Production Sandbox Monthly Federal; do
  export "Procore__${env}__LoginBaseUrl=$sim" "Procore__${env}__ApiBaseUrl=$sim"
done
app=http://127.0.0.1:21120
ASPNETCORE_URLS=$app dotnet src/ProcoreConnect/bin/Release/net10.0/ProcoreConnect.dll >/dev/null 2>&1 &
app_pid=$!
pids+=($app_pid)
wait_for $app/api/health
key=$(curl -fsS -X POST $app/api/partners/bench/keys -H "X-Api-Key: $admin_key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
curl -fsS -o /dev/null -X PUT $app/api/oauth-clients/bench-dmsa -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"authFlow":"client_credentials","clientId":"demo-dmsa-app","clientSecret":"demo-dmsa-app-secret"}'
curl -fsS -o /dev/null -X PUT $app/api/workspaces/bench-proxy/connection -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"companyId":1001,"environment":"sandbox","oauthClient":"bench-dmsa"}'
token=$(curl -fsS $app/api/workspaces/bench-proxy/token -H "X-Api-Key: $key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

direct_url=$sim/rest/v1.0/echo/x
proxy_url=$app/api/workspaces/bench-proxy/procore/rest/v1.0/echo/x
wrk -t2 -c4 -d5s -H "Authorization: Bearer $token" -H "Procore-Company-Id: 1001" $direct_url >/dev/null
wrk -t2 -c4 -d5s -H "X-Api-Key: $key" $proxy_url >/dev/null
echo "== 1. GET echo, direct and through the proxy (wrk, 2 threads, ${duration}s each)"
for c in ${CONNECTIONS:-4 32}; do
  bash bench/wrk-summary.sh "direct,  $c connections" $direct_url "${duration}s" $c "Authorization: Bearer $token" "Procore-Company-Id: 1001"
  bash bench/wrk-summary.sh "proxied, $c connections" $proxy_url "${duration}s" $c "X-Api-Key: $key"
done

echo "== 2. 200 MB through the proxy"
rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' /proc/$app_pid/status; }
before=$(rss VmRSS)
peak_before=$(rss VmHWM)
curl -fsS -o /dev/null -w 'downloaded %{size_download} bytes in %{time_total} s\n' -H "X-Api-Key: $key" $app/api/workspaces/bench-proxy/procore/rest/v1.0/downloads/209715200
echo "app RSS before ${before} MB (peak so far ${peak_before} MB), after $(rss VmRSS) MB, peak $(rss VmHWM) MB"
echo "== the proxy's newest 100 calls by status (its call log)"
curl -fsS "$app/api/workspaces/bench-proxy/procore-calls?pageSize=100" -H "X-Api-Key: $key" \
  | python3 -c 'import json,sys,collections; print(dict(collections.Counter(c["status"] for c in json.load(sys.stdin)["calls"])))'
