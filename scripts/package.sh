#!/usr/bin/env bash
# Builds the zip the Functions host expects: host.json, one folder per function with its generated
# function.json, and the app published self-contained for linux-x64. Usage: scripts/package.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts}
rm -rf "$out/package" "$out/procore-connect.zip"
mkdir -p "$out"
dotnet publish src/ProcoreConnect -c Release --nologo -v quiet -o "$out/package"
(cd "$out/package" && rm -f web.config && python3 -c "
import os, zipfile
with zipfile.ZipFile('../procore-connect.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk('.'):
        for f in files:
            p = os.path.join(root, f)
            info = zipfile.ZipInfo.from_file(p, os.path.relpath(p, '.'))
            with open(p, 'rb') as src:
                z.writestr(info, src.read(), zipfile.ZIP_DEFLATED)
")
echo "package: $out/procore-connect.zip ($(du -h "$out/procore-connect.zip" | cut -f1))"
