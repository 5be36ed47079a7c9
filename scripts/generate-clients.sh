#!/usr/bin/env bash
# Generates the client libraries from the OpenAPI document the app serves (docs/api.md, "Client
# libraries"). Run it after any change to an endpoint's declaration, and commit what it writes:
#   clients/openapi.json                          the document, written by the app without starting
#                                                 it (no server, no storage: `write-openapi`)
#   clients/csharp/Generated/                     the C# library's code, by Kiota
#   clients/typescript/src/generated/openapi.ts   the TypeScript library's types, by openapi-typescript
#
#   scripts/generate-clients.sh           regenerates all three in place
#   scripts/generate-clients.sh --check   regenerates them in a scratch folder and fails, naming the
#                                         files, where the committed ones differ (a test runs this)
# PROCORE_CONNECT_DLL=<path>/ProcoreConnect.dll uses that build of the app instead of building
# src/ProcoreConnect. The generators are pinned (dotnet-tools.json, clients/typescript/package-lock.json)
# and installed by scripts/ensure-tools.sh; nothing here leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *)
    echo "usage: scripts/generate-clients.sh [--check]" >&2
    exit 2
    ;;
esac

bash scripts/ensure-tools.sh clients >&2

dll=${PROCORE_CONNECT_DLL:-}
if [ -z "$dll" ]; then
  dotnet build src/ProcoreConnect -c Release -v quiet -nologo "-clp:ErrorsOnly;NoSummary" >&2
  dll=src/ProcoreConnect/bin/Release/net10.0/ProcoreConnect.dll
fi

# Everything is generated under $root with the same relative paths, so a check's output differs
# from the committed one only where the document or a generator's output does (Kiota's lock file
# records the document's path as given).
root=.
if $check; then
  mkdir -p artifacts
  root=$(mktemp -d artifacts/client-check.XXXXXX)
  trap 'rm -rf "$root"' EXIT
fi
mkdir -p "$root/clients"

# The document as a deployment at the local default URL would serve it, whatever this shell sets.
ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Service__PublicBaseUrl=http://127.0.0.1:7071 \
  dotnet "$dll" write-openapi "$root/clients/openapi.json" >/dev/null

# Kiota: no update check, no telemetry (each would reach the internet), no hints; one thread, since
# in parallel which of two properties sharing a schema lends it its description varies by run.
(
  cd "$root"
  KIOTA_OFFLINE_ENABLED=true KIOTA_CLI_TELEMETRY_OPTOUT=true KIOTA_TUTORIAL_ENABLED=false KIOTA_GENERATION__MAXDEGREEOFPARALLELISM=1 \
    dotnet tool run kiota generate --language CSharp --openapi clients/openapi.json \
    --output clients/csharp/Generated --class-name ProcoreConnectApiClient \
    --namespace-name ProcoreConnect.Client --exclude-backward-compatible --clean-output --log-level Error >/dev/null
)

generator=$PWD/clients/typescript/node_modules/.bin/openapi-typescript
(
  cd "$root"
  mkdir -p clients/typescript/src/generated
  "$generator" clients/openapi.json --output clients/typescript/src/generated/openapi.ts >/dev/null
)

if ! $check; then
  echo "generate-clients: wrote clients/openapi.json, clients/csharp/Generated/, clients/typescript/src/generated/openapi.ts"
  exit 0
fi

stale=0
for path in clients/openapi.json clients/csharp/Generated clients/typescript/src/generated; do
  if ! diff -r -q "$path" "$root/$path" >/dev/null 2>&1; then
    stale=1
    diff -r -q "$path" "$root/$path" 2>&1 | sed "s|$root/||g; s/^/generate-clients: stale: /" >&2 || true
  fi
done
if [ "$stale" -ne 0 ]; then
  echo "generate-clients: the committed client libraries do not match the OpenAPI document the app serves:" \
    "run scripts/generate-clients.sh and commit what it writes." >&2
  exit 1
fi
echo "generate-clients: the client libraries match the OpenAPI document"
