#!/usr/bin/env bash
# Builds and lints infra/ with the Bicep CLI (scripts/bicep.sh); any diagnostic, warning or error, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
diagnostics=$({ bash scripts/bicep.sh build infra/main.bicep --outdir "$out" 2>&1; bash scripts/bicep.sh lint infra/main.bicep 2>&1; } || true)
rm -rf "$out"
if [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "infra: Bicep reported diagnostics" >&2
  exit 1
fi
echo "infra: main.bicep builds and lints clean (Bicep $(bash scripts/bicep.sh --version | sed 's/Bicep CLI version //'))"
