#!/usr/bin/env bash
# Installs what the project needs and is missing: the npm packages (Hardhat, solc, OpenZeppelin) and
# the NuGet packages. Needs Node.js 20+ and the .NET 10 SDK on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "Node.js 20 or newer is required (https://nodejs.org)."; exit 1; }
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)."; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f src/Registry.Api/obj/project.assets.json ] || [ Directory.Packages.props -nt src/Registry.Api/obj/project.assets.json ]; then
  echo "Restoring NuGet packages"
  dotnet restore Registry.sln -nologo -v quiet
fi
