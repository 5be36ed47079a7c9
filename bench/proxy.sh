#!/usr/bin/env bash
# The Procore proxy against direct calls, in the same run, on this machine:
#   1. GET /rest/v1.0/me at the simulator, direct (with the token and company headers a partner
#      would send) and through /api/workspaces/{id}/procore/… (wrk, 4 connections, then 32),
#      each run with the CPU time the app, the simulator and Azurite spent per request
#      (utime+stime from /proc/<pid>/stat before and after the run), first with the simulator
#      answering at once, then with Procore-like latency (LATENCY_MS, default 100)
#   2. a 200 MB download through the proxy: the app's resident memory before and after, and its peak
#   3. the proxy's own record: its newest calls by status and forwarder error, and health's notLogged
# Usage: bench/proxy.sh [seconds-per-load-run=30]. Everything listens on 127.0.0.1 only, on ports
# PORT_BASE (default 21100) to PORT_BASE+20. The app runs from its Release build (dotnet
# ProcoreConnect.dll), not the published package.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30}
latency_ms=${LATENCY_MS:-100}
base=${PORT_BASE:-21100}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/ProcoreConnect -c Release --nologo -v quiet >/dev/null
dotnet build src/ProcoreSimulator -c Release --nologo -v quiet >/dev/null

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort $base --queuePort $((base + 1)) --tablePort $((base + 2)) &
azurite_pid=$!
pids+=($azurite_pid)
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$((base + 2))) 2>/dev/null && break; sleep 0.1; done
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$base/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((base + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((base + 2))/devstoreaccount1;"
sim=http://127.0.0.1:$((base + 10))
dotnet src/ProcoreSimulator/bin/Release/net10.0/ProcoreSimulator.dll --urls $sim >/dev/null 2>&1 &
sim_pid=$!
pids+=($sim_pid)
wait_for $sim/
# Rate limits out of the way: this measures the proxy, not Procore's budget.
faults() { curl -fsS -o /dev/null -X PUT $sim/_simulator/faults -H 'Content-Type: application/json' \
  -d "{\"rateLimitPerHour\":100000000,\"spikeLimitPer10Seconds\":100000000,\"apiLatencyMs\":$1}"; }
faults 0

admin_key="bench-admin-key"
export Storage__ConnectionString="$storage" Storage__TablePrefix="proxy$RANDOM" \
  SecretStore__LocalKey="$(head -c 32 /dev/urandom | base64)" \
  Auth__AdminKeySha256="$(printf %s "$admin_key" | sha256sum | cut -d' ' -f1)" \
  Scheduler__Enabled=false Logging__LogLevel__Default=Warning \
  ProcoreCalls__PartnerLimit__PerSecond=1000000 ProcoreCalls__PartnerLimit__Burst=1000000
# The partner's own budget on the proxy (100 calls a second by default) lifted as Procore's is: this
# measures what a call through the proxy costs, not a budget; its checks still run on every call.
for env in Production Sandbox Monthly Federal; do
  export "Procore__${env}__LoginBaseUrl=$sim" "Procore__${env}__ApiBaseUrl=$sim"
done
app=http://127.0.0.1:$((base + 20))
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

# Not the echo: it names a hop-by-hop header in Connection (for the proxy's tests), which makes
# Kestrel close every connection after its answer without saying so, a new connection per call.
direct_url=$sim/rest/v1.0/me
proxy_url=$app/api/workspaces/bench-proxy/procore/rest/v1.0/me
wrk -t2 -c4 -d5s -H "Authorization: Bearer $token" -H "Procore-Company-Id: 1001" $direct_url >/dev/null
wrk -t2 -c4 -d5s -H "X-Api-Key: $key" $proxy_url >/dev/null
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# One wrk run (wrk-summary.sh's line), then the CPU each process spent per request in it.
measure() {
  local before=($(cpu $app_pid) $(cpu $sim_pid) $(cpu $azurite_pid)) line requests
  line=$(bash bench/wrk-summary.sh "$@")
  local after=($(cpu $app_pid) $(cpu $sim_pid) $(cpu $azurite_pid))
  requests=$(grep -o '[0-9]* requests' <<<"$line" | cut -d' ' -f1)
  echo "$line"
  awk -v r="$requests" -v t="$ticks" -v a0="${before[0]}" -v a1="${after[0]}" -v s0="${before[1]}" -v s1="${after[1]}" -v z0="${before[2]}" -v z1="${after[2]}" \
    'BEGIN { f = 1e6 / t / r; printf "    CPU per request: app %.0f us, simulator %.0f us, Azurite %.0f us\n", (a1 - a0) * f, (s1 - s0) * f, (z1 - z0) * f }'
}
for latency in 0 "$latency_ms"; do
  faults "$latency"
  echo "== 1. GET /rest/v1.0/me, direct and through the proxy, simulator latency ${latency} ms (wrk, 2 threads, ${duration}s each), load $(cut -d' ' -f1 /proc/loadavg)"
  for c in ${CONNECTIONS:-4 32}; do
    measure "direct,  $c connections" $direct_url "${duration}s" $c "Authorization: Bearer $token" "Procore-Company-Id: 1001"
    measure "proxied, $c connections" $proxy_url "${duration}s" $c "X-Api-Key: $key"
  done
done
faults 0

echo "== 2. 200 MB through the proxy"
rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' /proc/$app_pid/status; }
before=$(rss VmRSS)
peak_before=$(rss VmHWM)
curl -fsS -o /dev/null -w 'downloaded %{size_download} bytes in %{time_total} s\n' -H "X-Api-Key: $key" $app/api/workspaces/bench-proxy/procore/rest/v1.0/downloads/209715200
echo "app RSS before ${before} MB (peak so far ${peak_before} MB), after $(rss VmRSS) MB, peak $(rss VmHWM) MB"
echo "== 3. the proxy's newest 1,000 calls by status and forwarder error (its call log), and health's notLogged"
calls=$app/api/workspaces/bench-proxy/procore-calls
next=""
for _ in $(seq 1 10); do
  page=$(curl -fsS "$calls?pageSize=100${next:+&continuationToken=$next}" -H "X-Api-Key: $key")
  echo "$page"
  next=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["continuationToken"] or "")' "$page")
  [ -n "$next" ] || break
done | python3 -c 'import json,sys,collections; print(dict(collections.Counter((c["status"], c.get("error")) for l in sys.stdin for c in json.loads(l)["calls"])))'
curl -fsS "$calls/health" -H "X-Api-Key: $key" | python3 -c 'import json,sys; h=json.load(sys.stdin); print("health: calls", h["calls"], "notLogged", h["notLogged"])'
