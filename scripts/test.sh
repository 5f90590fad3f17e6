#!/usr/bin/env bash
# Installs what is missing and runs every test: the contract's Hardhat tests, then the .NET suite
# (unit tests, and integration tests against a Hardhat node that the fixture starts on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh

echo "== Contract tests (Hardhat)"
npx hardhat test

echo "== .NET tests"
dotnet build Registry.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test Registry.sln -c Release --no-build -nologo --logger "console;verbosity=normal"
