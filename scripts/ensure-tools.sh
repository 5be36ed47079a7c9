#!/usr/bin/env bash
# Installs what the local run and the tests need: Azurite (pinned in package-lock.json).
# On a first run this is `npm ci` against the registry, about 450 packages; a slow or flaky
# registry must neither hang it for good nor end it without a word, so the install is bounded and
# retried, and says what it is doing.
#   scripts/ensure-tools.sh           Azurite
#   scripts/ensure-tools.sh clients   the client generators instead (scripts/generate-clients.sh):
#                                     clients/typescript's npm packages (package-lock.json there)
#                                     and Kiota (the dotnet tool pinned in dotnet-tools.json)
# Knobs: ENSURE_TOOLS_ATTEMPTS (3), ENSURE_TOOLS_ATTEMPT_TIMEOUT seconds per attempt (600),
# ENSURE_TOOLS_HEARTBEAT seconds between progress lines (30); npm_config_* as usual.
set -euo pipefail
cd "$(dirname "$0")/.."

what="Azurite $(node -p "require('./package.json').devDependencies.azurite" 2>/dev/null || true) and its dependencies from package-lock.json"
marker=node_modules/azurite/dist/src/azurite.js
if [ "${1:-}" = clients ]; then
  what="the client generators: clients/typescript's packages, and Kiota"
  # npm ci writes node_modules/.package-lock.json; older than package-lock.json means a pin moved.
  marker=clients/typescript/node_modules/.package-lock.json
  if [ -f "$marker" ] && [ ! "$marker" -ot clients/typescript/package-lock.json ]; then
    # Kiota's restore is a no-op once its package is in NuGet's cache.
    dotnet tool restore >/dev/null && exit 0
  fi
  install() { npm ci --prefix clients/typescript --no-audit --no-fund --loglevel=error && dotnet tool restore; }
elif [ -f "$marker" ]; then
  exit 0
else
  install() { npm ci --no-audit --no-fund --loglevel=error; }
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "ensure-tools: '$tool' is not on PATH: install Node.js 20 or later with npm, then run this again." >&2
    exit 1
  fi
done

attempts=${ENSURE_TOOLS_ATTEMPTS:-3}
attempt_timeout=${ENSURE_TOOLS_ATTEMPT_TIMEOUT:-600}
heartbeat=${ENSURE_TOOLS_HEARTBEAT:-30}

# npm's own per-request limits: fetch-timeout is the idle timeout of one request (npm's default,
# 5 min, is what a stalled registry connection costs before EIDLETIMEOUT); fail such a request after
# 60 s and retry it sooner and more often than npm's defaults (2 retries, 10-60 s apart).
export npm_config_fetch_timeout=${npm_config_fetch_timeout:-60000}
export npm_config_fetch_retries=${npm_config_fetch_retries:-5}
export npm_config_fetch_retry_mintimeout=${npm_config_fetch_retry_mintimeout:-2000}
export npm_config_fetch_retry_maxtimeout=${npm_config_fetch_retry_maxtimeout:-30000}
# A later attempt reuses what an earlier one already put in npm's cache instead of asking the
# registry again (a registry that sends no cache headers makes every cached entry look stale).
export npm_config_prefer_offline=${npm_config_prefer_offline:-true}
export npm_config_update_notifier=false

heartbeat_pid=
stop_heartbeat() {
  if [ -n "$heartbeat_pid" ]; then
    kill "$heartbeat_pid" 2>/dev/null || true
    wait "$heartbeat_pid" 2>/dev/null || true
    heartbeat_pid=
  fi
}
trap stop_heartbeat EXIT

echo "ensure-tools: installing $what"
echo "ensure-tools: registry $(npm config get registry), up to $attempts attempts of at most ${attempt_timeout}s each"
for ((attempt = 1; attempt <= attempts; attempt++)); do
  start=$SECONDS
  echo "ensure-tools: install, attempt $attempt of $attempts"
  ( while sleep "$heartbeat"; do echo "ensure-tools: install still running ($((SECONDS - start))s)"; done ) &
  heartbeat_pid=$!
  status=0
  export -f install
  timeout --kill-after=10 "$attempt_timeout" bash -c install || status=$?
  stop_heartbeat
  if [ "$status" -eq 0 ] && [ -f "$marker" ]; then
    echo "ensure-tools: installed in $((SECONDS - start))s"
    exit 0
  fi

  case $status in
    0) why="finished without $marker" ;;
    124 | 137) why="no result within ${attempt_timeout}s" ;;
    *) why="the install exited with $status" ;;
  esac
  echo "ensure-tools: attempt $attempt failed after $((SECONDS - start))s: $why" >&2
  if ((attempt < attempts)); then
    pause=$((15 * attempt))
    echo "ensure-tools: trying again in ${pause}s (packages already downloaded are kept in npm's cache)" >&2
    sleep "$pause"
  fi
done

echo "ensure-tools: could not install $what after $attempts attempts. Check that the registries" \
  "($(npm config get registry), and NuGet's for Kiota) are reachable from here (proxy: HTTPS_PROXY or npm config get proxy)," \
  "then run scripts/ensure-tools.sh $* again; ENSURE_TOOLS_ATTEMPT_TIMEOUT gives each attempt longer." >&2
exit 1
