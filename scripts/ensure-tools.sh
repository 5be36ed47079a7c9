#!/usr/bin/env bash
# Installs what the local run and the tests need: Azurite (pinned in package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
  echo "Installing Azurite from package-lock.json..."
  npm ci --no-audit --no-fund --loglevel=error
fi
