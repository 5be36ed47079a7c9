#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium and chromium-driver (their versions always
# match). Browsers cannot be downloaded from anywhere else here, so nothing fetches its own browser:
# the tests drive these two binaries (tests/ProcoreConnect.Tests/Infrastructure/HeadlessChromium.cs).
# About 165 MB and a minute with apt-get update on a machine that lacks them; nothing when present.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium or /usr/bin/chromedriver is missing and apt-get is not available." >&2
  echo "ensure-chromium: install Chromium and a chromedriver of the same version, then point CHROMIUM_BINARY and CHROMEDRIVER at them." >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "ensure-chromium: installing chromium and chromium-driver needs root (or password-less sudo)." >&2
    exit 1
  fi
fi

echo "Installing Debian's chromium and chromium-driver for the browser tests (apt-get; about a minute)..."
started=$SECONDS
for attempt in 1 2 3; do
  if "${sudo[@]}" apt-get -o Acquire::Retries=3 update -qq \
    && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o Acquire::Retries=3 install -y -qq chromium chromium-driver >/dev/null; then
    break
  fi
  if [ "$attempt" -eq 3 ]; then
    echo "ensure-chromium: apt-get failed three times; the browser tests cannot run." >&2
    exit 1
  fi
  echo "ensure-chromium: apt-get failed (attempt $attempt of 3), retrying in $((attempt * 10)) s..." >&2
  sleep $((attempt * 10))
done
echo "Installed in $((SECONDS - started)) s: $(/usr/bin/chromium --version 2>/dev/null); $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
