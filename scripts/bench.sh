#!/usr/bin/env bash
# Benchmarks, ours beside the reference in one run:
#   1. @openzeppelin/merkle-tree in Node.js (the reference) on 10,000 and 100,000 digests
#      (BENCH_REFERENCE_COUNTS overrides; 1,000,000 takes minutes there);
#   2. BenchmarkDotNet: Keccak-256 (ours, BouncyCastle, Nethereum), Merkle build and proofs at 1,000,000;
#   3. the registry over HTTP on loopback (its own Hardhat node and data folder): bulk issuance and
#      POST /verify (bench/Registry.Load), then POST /verify under wrk with 32 connections (Debian's
#      wrk, installed when missing).
# Extra arguments go to BenchmarkDotNet (default: --filter '*'); BENCH_SKIP_DOTNET=1 skips step 2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

echo "== Reference: @openzeppelin/merkle-tree $(node -p 'require("@openzeppelin/merkle-tree/package.json").version') on Node.js $(node --version)"
# shellcheck disable=SC2086
node bench/reference/oz-merkle-tree.js ${BENCH_REFERENCE_COUNTS:-10000 100000}

if [ "${BENCH_SKIP_DOTNET:-}" != 1 ]; then
  echo "== Ours: BenchmarkDotNet"
  if [ $# -eq 0 ]; then set -- --filter '*'; fi
  dotnet run -c Release --project bench/Registry.Bench -- "$@"
fi

echo "== The registry over HTTP"
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
data=$(mktemp -d)
rpc_port=$(free_port)
api_port=$(free_port)
export REGISTRY_DATA_DIR="$data" REGISTRY_RPC_URL="http://127.0.0.1:$rpc_port" REGISTRY_URLS="http://127.0.0.1:$api_port"
export REGISTRY_VERIFY_RATE_LIMIT=0
setsid scripts/start.sh > "$data/start.log" 2>&1 &
registry_pid=$!
trap 'kill -- -"$registry_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do
  curl -fs "$REGISTRY_URLS/health" 2>/dev/null | grep -q '"status":"ok"' && break
  sleep 0.5
done
dotnet build bench/Registry.Load -c Release -nologo -v quiet -clp:ErrorsOnly > /dev/null
load=bench/Registry.Load/bin/Release/net10.0/Registry.Load.dll
# A first short round warms the server up; the second is the measurement.
dotnet "$load" "$REGISTRY_URLS" "$(cat "$data/admin.key")" 2 2 8 > /dev/null
dotnet "$load" "$REGISTRY_URLS" "$(cat "$data/admin.key")" "${BENCH_BULK_REQUESTS:-5}" "${BENCH_VERIFY_SECONDS:-10}" "${BENCH_VERIFY_CLIENTS:-8}"

# POST /verify under wrk (32 connections, as the specification measures it), from the chain index.
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
admin="$(cat "$data/admin.key")"
json() { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).$1"; }
key=$(curl -fs -X POST "$REGISTRY_URLS/issuers" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "Benchmark Institute"}' | json apiKey)
id=$(curl -fs -X POST "$REGISTRY_URLS/credentials" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d @docs/examples/badge.json | json id)
curl -fs -X POST "$REGISTRY_URLS/batches" -H "Authorization: Bearer $key" > /dev/null
for _ in $(seq 1 60); do
  curl -fs "$REGISTRY_URLS/credentials/$id/credential.json" -H "Authorization: Bearer $key" -o "$data/portable.json" && break
  sleep 0.5
done
cat > "$data/verify.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$data/portable.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
# The body must verify, or wrk would time a quick refusal.
verified=$(curl -fs -X POST "$REGISTRY_URLS/verify" -H 'Content-Type: application/json' --data-binary @"$data/portable.json" | json verified)
[ "$verified" = true ] || { echo "The benchmark's credential does not verify; not timing it."; exit 1; }
echo "== POST /verify under wrk: 2 threads, 32 connections, ${BENCH_WRK_SECONDS:-10} s (the chain index answers; the body verifies: $verified)"
wrk -t2 -c32 -d"${BENCH_WRK_SECONDS:-10}s" --latency -s "$data/verify.lua" "$REGISTRY_URLS/verify" | grep -E 'Requests/sec|Latency|50%|99%|requests in|Non-2xx'
