#!/usr/bin/env bash
# Runs the registry on a local chain: installs what is missing, starts a Hardhat node on the port of
# REGISTRY_RPC_URL unless one already answers there, and runs the API on REGISTRY_URLS. The registry
# deploys the contract on its first start and remembers the address in REGISTRY_DATA_DIR.
# Ctrl-C stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

export REGISTRY_RPC_URL="${REGISTRY_RPC_URL:-http://127.0.0.1:8545}"
export REGISTRY_URLS="${REGISTRY_URLS:-http://127.0.0.1:5080}"
export REGISTRY_DATA_DIR="${REGISTRY_DATA_DIR:-./data}"
mkdir -p "$REGISTRY_DATA_DIR"

scripts/install.sh

rpc_answers() {
  node -e '
    fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) })
      .then(r => r.json()).then(j => process.exit(j.result ? 0 : 1)).catch(() => process.exit(1));' "$REGISTRY_RPC_URL"
}

node_pid=""
api_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if rpc_answers; then
  echo "Using the Ethereum node already answering at $REGISTRY_RPC_URL"
else
  port=$(node -e 'const u = new URL(process.argv[1]); console.log(u.port || (u.protocol === "https:" ? 443 : 80))' "$REGISTRY_RPC_URL")
  host=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$REGISTRY_RPC_URL")
  echo "Starting a Hardhat node on $host:$port (log: $REGISTRY_DATA_DIR/hardhat-node.log)"
  node node_modules/hardhat/internal/cli/cli.js node --hostname "$host" --port "$port" > "$REGISTRY_DATA_DIR/hardhat-node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 120); do
    rpc_answers && break
    kill -0 "$node_pid" 2>/dev/null || { echo "The Hardhat node exited:"; tail -20 "$REGISTRY_DATA_DIR/hardhat-node.log"; exit 1; }
    sleep 0.5
  done
  rpc_answers || { echo "The Hardhat node did not answer at $REGISTRY_RPC_URL"; exit 1; }
fi

echo "Building the registry"
dotnet build src/Registry.Api -c Release -nologo -v quiet -clp:ErrorsOnly
echo "Starting the registry on $REGISTRY_URLS (data in $REGISTRY_DATA_DIR)"
dotnet src/Registry.Api/bin/Release/net10.0/Registry.Api.dll &
api_pid=$!
wait "$api_pid"
