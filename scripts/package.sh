#!/usr/bin/env bash
# Builds the zip the Functions host expects: host.json, one folder per function with its generated
# function.json, and the app published self-contained for linux-x64. Usage: scripts/package.sh [output-dir]
# Nothing here runs the linux-x64 build: the bindings come from the framework-dependent build, run by
# the SDK's own dotnet, so the script works on any build machine (macOS and Windows too, with bash).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts}
rm -rf "$out/package" "$out/bindings-tool" "$out/procore-connect.zip"
mkdir -p "$out"
dotnet publish src/ProcoreConnect -c Release --nologo -v quiet -o "$out/package"
dotnet build src/ProcoreConnect -c Release --nologo -v quiet -o "$out/bindings-tool"
echo "bindings: dotnet $out/bindings-tool/ProcoreConnect.dll generate-functions"
dotnet "$out/bindings-tool/ProcoreConnect.dll" generate-functions "$out/package" >/dev/null
(cd "$out/package" && rm -f web.config && python3 -c "
import json, os, stat, zipfile
with open('host.json') as f:
    handler = json.load(f)['customHandler']['description']['defaultExecutablePath']
with zipfile.ZipFile('../procore-connect.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk('.'):
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, '.'))
            # Unix modes whatever the build machine (a zip made on Windows records none): the host
            # cannot add the execute bit to the handler on its read-only package mount.
            executable = info.filename == handler or os.stat(path).st_mode & stat.S_IXUSR
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
            with open(path, 'rb') as src:
                z.writestr(info, src.read(), zipfile.ZIP_DEFLATED)
")
echo "package: $out/procore-connect.zip ($(du -h "$out/procore-connect.zip" | cut -f1))"
