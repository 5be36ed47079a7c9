#!/usr/bin/env bash
# Builds and lints infra/ with the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64;
# any diagnostic, warning or error, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore infra/tools/BicepCli.csproj --nologo -v quiet >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="$packages/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
chmod +x "$bicep"
out=$(mktemp -d)
diagnostics=$({ "$bicep" build infra/main.bicep --outdir "$out" 2>&1; "$bicep" lint infra/main.bicep 2>&1; } || true)
rm -rf "$out"
if [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "infra: Bicep reported diagnostics" >&2
  exit 1
fi
echo "infra: main.bicep builds and lints clean (Bicep $("$bicep" --version | sed 's/Bicep CLI version //'))"
