#!/usr/bin/env bash
# Runs the registry: installs what is missing, makes sure an Ethereum node answers at REGISTRY_RPC_URL,
# and runs the API on REGISTRY_URLS. The registry deploys the contract on its first start on the
# local chain and remembers the address in REGISTRY_DATA_DIR.
#
# When nothing answers at REGISTRY_RPC_URL, this script starts a local Hardhat node (chain 31337) on
# its port, but only for a local chain: a loopback URL (127.0.0.1, ::1, localhost) and no
# REGISTRY_CONTRACT, which would name a contract on another chain. Otherwise the node it expects is
# down: it says so and exits, starting nothing. A node that answers is used as it is, whatever its
# chain; the registry checks its own settings against it.
# Ctrl-C stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

export REGISTRY_RPC_URL="${REGISTRY_RPC_URL:-http://127.0.0.1:8545}"
export REGISTRY_URLS="${REGISTRY_URLS:-http://127.0.0.1:5080}"
export REGISTRY_DATA_DIR="${REGISTRY_DATA_DIR:-./data}"

# The node checks below need Node.js; install.sh says what to install when it is missing.
command -v node >/dev/null || exec scripts/install.sh

# Prints the chain id that the node at REGISTRY_RPC_URL answers, or fails when it does not answer
# within 3 seconds (an address that drops packets would otherwise hang for minutes).
rpc_chain_id() {
  node -e '
    fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(3000) })
      .then(r => r.json())
      .then(j => { if (!j.result) process.exit(1); console.log(BigInt(j.result).toString()); })
      .catch(() => process.exit(1));' "$REGISTRY_RPC_URL"
}
rpc_answers() { rpc_chain_id >/dev/null; }

url_part() { node -e "const u = new URL(process.argv[1]); console.log($1)" "$REGISTRY_RPC_URL" 2>/dev/null; }
host=$(url_part 'u.hostname.replace(/^\[|\]$/g, "")') || { echo "REGISTRY_RPC_URL=$REGISTRY_RPC_URL is not a URL." >&2; exit 1; }
port=$(url_part 'u.port || (u.protocol === "https:" ? 443 : 80)')

start_local_node=false
if chain_id=$(rpc_chain_id); then
  echo "Using the Ethereum node already answering at $REGISTRY_RPC_URL (chain $chain_id)"
else
  loopback=false
  if [ "$host" = localhost ] || [ "$host" = ::1 ] || [[ "$host" =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    loopback=true
  fi
  if [ "$loopback" = true ] && [ -z "${REGISTRY_CONTRACT:-}" ]; then
    start_local_node=true
  else
    echo "No Ethereum node answers at $REGISTRY_RPC_URL (no chain id from eth_chainId within 3 s)." >&2
    if [ "$loopback" = false ]; then
      echo "It is not on this machine, so a local Hardhat node cannot stand in for it." >&2
    fi
    if [ -n "${REGISTRY_CONTRACT:-}" ]; then
      echo "REGISTRY_CONTRACT=$REGISTRY_CONTRACT names a contract on the chain that node serves; a new local chain would not have it." >&2
    fi
    echo "Start that node or correct REGISTRY_RPC_URL, then run this again. Nothing was started." >&2
    exit 1
  fi
fi

mkdir -p "$REGISTRY_DATA_DIR"
scripts/install.sh

node_pid=""
api_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ "$start_local_node" = true ]; then
  echo "Starting a local Hardhat node (chain 31337) on $host:$port (log: $REGISTRY_DATA_DIR/hardhat-node.log)"
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
