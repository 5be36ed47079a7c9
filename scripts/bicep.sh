#!/usr/bin/env bash
# Runs the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (version pinned in
# infra/tools/BicepCli.csproj), restoring it first. Usage: scripts/bicep.sh <bicep arguments>
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\(.*\)\]".*/\1/p' infra/tools/BicepCli.csproj)
dotnet restore infra/tools/BicepCli.csproj --nologo -v quiet >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
chmod +x "$bicep"
exec "$bicep" "$@"
