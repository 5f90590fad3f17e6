#!/usr/bin/env bash
# Installs what is missing and runs every test: the contract's Hardhat tests, then the .NET suite
# (unit tests, and integration tests against a Hardhat node that the fixture starts on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== Contract tests (Hardhat)"
npx hardhat test 2>&1 | tee "$log/contract.txt"

echo "== .NET tests"
dotnet build Registry.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test Registry.sln -c Release --no-build -nologo 2>&1 | tee "$log/dotnet.txt"

# One closing line for both suites: "N passed, N failed".
contract_passed=$(grep -Eo '[0-9]+ passing' "$log/contract.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
contract_failed=$(grep -Eo '[0-9]+ failing' "$log/contract.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
dotnet_passed=$(grep -Eo 'Passed: +[0-9]+' "$log/dotnet.txt" | awk '{ n += $2 } END { print n + 0 }')
dotnet_failed=$(grep -Eo 'Failed: +[0-9]+' "$log/dotnet.txt" | awk '{ n += $2 } END { print n + 0 }')
echo "$((contract_passed + dotnet_passed)) passed, $((contract_failed + dotnet_failed)) failed"
