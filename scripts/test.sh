#!/usr/bin/env bash
# Installs what is missing and runs every test: the contract's Hardhat tests, then the .NET suite
# (unit tests, and integration tests against a Hardhat node that the fixture starts on a free port),
# then the standard-tools test in Node.js on every portable credential the .NET suite fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh
# The browser tests drive Debian's Chromium (headless); playwright-core brings no browser of its own.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  echo "Installing Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== Contract tests (Hardhat)"
npx hardhat test 2>&1 | tee "$log/contract.txt"

echo "== .NET tests"
# Every portable credential a test fetches is checked against the schemas and kept here for the next step.
export REGISTRY_ISSUED_CREDENTIALS_DIR="$log/issued"
dotnet build Registry.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test Registry.sln -c Release --no-build -nologo 2>&1 | tee "$log/dotnet.txt" || true

echo "== Standard tools (jsonld.js safe mode, ajv) on the credentials the .NET suite issued"
node --test tests/interop/standard-tools.test.js 2>&1 | tee "$log/node.txt" || true

# One closing line for the three suites: "N passed, N failed".
contract_passed=$(grep -Eo '[0-9]+ passing' "$log/contract.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
contract_failed=$(grep -Eo '[0-9]+ failing' "$log/contract.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
dotnet_passed=$(grep -Eo 'Passed: +[0-9]+' "$log/dotnet.txt" | awk '{ n += $2 } END { print n + 0 }')
dotnet_failed=$(grep -Eo 'Failed: +[0-9]+' "$log/dotnet.txt" | awk '{ n += $2 } END { print n + 0 }')
node_passed=$(grep -Eo '^# pass [0-9]+' "$log/node.txt" | grep -Eo '[0-9]+' || echo 0)
node_failed=$(grep -Eo '^# fail [0-9]+' "$log/node.txt" | grep -Eo '[0-9]+' || echo 1)
passed=$((contract_passed + dotnet_passed + node_passed))
failed=$((contract_failed + dotnet_failed + node_failed))
# A suite that did not report at all counts as a failure.
grep -q 'Passed!\|Failed!' "$log/dotnet.txt" || failed=$((failed + 1))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
