#!/usr/bin/env bash
# Runs the registry: installs what is missing, makes sure an Ethereum node answers at REGISTRY_RPC_URL,
# and runs the API on REGISTRY_URLS. The registry deploys the contract on its first start on the
# local chain and remembers the address in REGISTRY_DATA_DIR.
#
# When nothing answers at REGISTRY_RPC_URL, this script starts a local node (chain 31337) on its
# port, but only for a local chain: a loopback URL (127.0.0.1, ::1, localhost) and no
# REGISTRY_CONTRACT, which would name a contract on another chain. Otherwise the node it expects is
# down: it says so and exits, starting nothing. A node that answers is used as it is, whatever its
# chain; the registry checks its own settings against it.
#
# REGISTRY_LOCAL_NODE chooses the local node: hardhat (the default) keeps its chain in memory, so it
# is gone once this script stops; anvil keeps it in REGISTRY_DATA_DIR/anvil-state.json, written every
# few seconds and on exit, and loads it on the next start.
#
# The node outlives the API: when the API exits, this script starts it again after a pause, unless
# it stopped because of a setting (exit code 1 or 2, with a message saying what to set), or it
# failed quickly five times in a row. Ctrl-C (or SIGTERM) stops the API and the node it started.
#
# Before it starts anything it checks that the addresses it will listen on are free: a second
# registry on the same machine (a second run of this script, say) needs REGISTRY_URLS of its own, and
# a node of its own needs a REGISTRY_RPC_URL port of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

export REGISTRY_RPC_URL="${REGISTRY_RPC_URL:-http://127.0.0.1:8545}"
export REGISTRY_URLS="${REGISTRY_URLS:-http://127.0.0.1:5080}"
export REGISTRY_DATA_DIR="${REGISTRY_DATA_DIR:-./data}"
# The garbage collector's smallest gen0 budget, 32 MiB a heap. Server GC in .NET 10 adapts its heaps to
# the application's size (DATAS) and starts from a gen0 budget of a few MiB: POST /verify allocates about
# 115 KB a credential, so at 4,000/s it collected gen0 some 70 times a second, and its pauses reached the
# p99. With this budget the same pipeline collects nine times less often (bench/Registry.Bench,
# `DOTNET_gcServer=1 dotnet …/Registry.Bench.dll verify-cost --together`), for about 60 MiB more memory.
# Only the environment sets it (no runtimeconfig.json property does); set DOTNET_GCgen0size to override.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
local_node="${REGISTRY_LOCAL_NODE:-hardhat}"
case "$local_node" in
  hardhat|anvil) ;;
  *) echo "REGISTRY_LOCAL_NODE=$local_node is not a local node: set hardhat (the default, its chain kept in memory) or anvil (its chain kept in the data folder)." >&2; exit 2 ;;
esac

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

# Prints each of the addresses given (URLs separated by ";", as REGISTRY_URLS takes them) that
# another program already listens on, as host:port, one a line; prints nothing when all are free.
# "*", "+" and 0.0.0.0 mean every address of the machine, as ASP.NET Core reads them.
addresses_in_use() {
  node -e '
    const net = require("net");
    const taken = [];
    const probe = (host, port) => new Promise(done => {
      const server = net.createServer();
      server.once("error", e => done(e.code === "EADDRINUSE" || e.code === "EACCES"));
      server.listen({ host, port, exclusive: true }, () => server.close(() => done(false)));
    });
    (async () => {
      for (const text of process.argv[1].split(";").map(t => t.trim()).filter(Boolean)) {
        const m = /^(https?):\/\/(\[[^\]]+\]|[^:\/]+)(?::(\d+))?/.exec(text);
        if (!m) continue;
        const port = Number(m[3] || (m[1] === "https" ? 443 : 80));
        const named = m[2].replace(/^\[|\]$/g, "");
        const host = ["*", "+", "0.0.0.0"].includes(named) ? undefined : named === "localhost" ? "127.0.0.1" : named;
        if (await probe(host, port)) taken.push(`${host ?? "*"}:${port}`);
      }
      if (taken.length) console.log(taken.join("\n"));
    })();' "$1"
}

api_taken=$(addresses_in_use "$REGISTRY_URLS")
if [ -n "$api_taken" ]; then
  echo "The registry cannot listen on $(echo $api_taken): another program listens there already (another registry, perhaps this script run before)." >&2
  echo "Stop it, or give this registry addresses of its own: REGISTRY_URLS=http://127.0.0.1:5081 (now REGISTRY_URLS=$REGISTRY_URLS)." >&2
  echo "Nothing was started." >&2
  exit 1
fi

start_local_node=false
if chain_id=$(rpc_chain_id); then
  echo "Using the Ethereum node already answering at $REGISTRY_RPC_URL (chain $chain_id)"
  if [ -n "${REGISTRY_LOCAL_NODE:-}" ]; then
    echo "REGISTRY_LOCAL_NODE=$REGISTRY_LOCAL_NODE applies only to a node this script starts; this one is used as it is."
  fi
else
  loopback=false
  if [ "$host" = localhost ] || [ "$host" = ::1 ] || [[ "$host" =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    loopback=true
  fi
  if [ "$loopback" = true ] && [ -z "${REGISTRY_CONTRACT:-}" ]; then
    start_local_node=true
    if [ -n "$(addresses_in_use "$REGISTRY_RPC_URL")" ]; then
      echo "No Ethereum node answers at $REGISTRY_RPC_URL, yet another program listens on its port $port, so a local node cannot start there." >&2
      echo "Stop that program, or give the local node a port of its own: REGISTRY_RPC_URL=http://127.0.0.1:8546 (now REGISTRY_RPC_URL=$REGISTRY_RPC_URL)." >&2
      echo "Nothing was started." >&2
      exit 1
    fi
  else
    echo "No Ethereum node answers at $REGISTRY_RPC_URL (no chain id from eth_chainId within 3 s)." >&2
    if [ "$loopback" = false ]; then
      echo "It is not on this machine, so a local node cannot stand in for it." >&2
    fi
    if [ -n "${REGISTRY_CONTRACT:-}" ]; then
      echo "REGISTRY_CONTRACT=$REGISTRY_CONTRACT names a contract on the chain that node serves; a new local chain would not have it." >&2
    fi
    echo "Start that node or correct REGISTRY_RPC_URL, then run this again. Nothing was started." >&2
    exit 1
  fi
fi

# The data folder, and what this script writes into it (the node's log, Anvil's state), are their user's
# alone; the registry would otherwise find them readable by others at start, tighten them and say so.
(umask 077; mkdir -p "$REGISTRY_DATA_DIR")
scripts/install.sh
umask 077

node_pid=""
api_pid=""
pause_pid=""
stop() {
  trap - INT TERM EXIT
  # Background jobs of a script ignore SIGINT, so each is stopped by name with SIGTERM (Anvil then
  # writes its state file).
  local pid
  for pid in "$api_pid" "$pause_pid" "$node_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

node_log="$REGISTRY_DATA_DIR/$local_node-node.log"
if [ "$start_local_node" = true ]; then
  if [ "$local_node" = anvil ]; then
    # The npm package installs the binary for this platform; the wrapper in node_modules/.bin would
    # stand between this script and the node's signals.
    anvil=$(ls node_modules/@foundry-rs/anvil-*/bin/anvil 2>/dev/null | head -1)
    [ -x "$anvil" ] || { echo "Anvil is not installed for this platform (npm package @foundry-rs/anvil); set REGISTRY_LOCAL_NODE=hardhat." >&2; exit 1; }
    state="$REGISTRY_DATA_DIR/anvil-state.json"
    echo "Starting a local Anvil node (chain 31337) on $host:$port, its chain kept in $state (log: $node_log)"
    "$anvil" --host "$host" --port "$port" --chain-id 31337 --state "$state" --state-interval 5 > "$node_log" 2>&1 &
  else
    echo "Starting a local Hardhat node (chain 31337) on $host:$port, its chain in memory (log: $node_log)"
    node node_modules/hardhat/internal/cli/cli.js node --hostname "$host" --port "$port" > "$node_log" 2>&1 &
  fi
  node_pid=$!
  for _ in $(seq 1 120); do
    rpc_answers && break
    kill -0 "$node_pid" 2>/dev/null || { echo "The $local_node node exited:"; tail -20 "$node_log"; exit 1; }
    sleep 0.5
  done
  rpc_answers || { echo "The $local_node node did not answer at $REGISTRY_RPC_URL"; exit 1; }
fi

# The registry is built again only when a source it is built from is newer than its last build (the
# solution's build counts, as the test run's does; scripts/lib/build.sh).
# shellcheck source=scripts/lib/build.sh
. scripts/lib/build.sh
build_if_changed registry src/Registry.Api src/Registry.Api/bin/Release/net10.0/Registry.Api.dll "${registry_sources[@]}"
# The page at / is the browser verifier, served from dist/verifier. Publishing it (WebAssembly, trimmed)
# takes half a minute of both cores even when nothing changed, so it is published again only when a
# source it is built from is newer than its last publish (publish-verifier.sh --if-changed).
page_log=$(mktemp)
if scripts/publish-verifier.sh --if-changed dist/verifier > "$page_log" 2>&1; then
  head -1 "$page_log"
  rm -f "$page_log"
else
  cat "$page_log" >&2
  rm -f "$page_log"
  exit 1
fi

# The restart policy. Exit codes 1 and 2 are the registry refusing its settings (it said what to set):
# starting it again would only repeat that. Anything else (a crash, a kill) restarts it after a
# pause that doubles while it keeps exiting within a minute of its start, up to five times in a row.
quick_run_seconds=60
max_quick_exits=5
quick_exits=0
pause=1
while true; do
  echo "Starting the registry on $REGISTRY_URLS (data in $REGISTRY_DATA_DIR)"
  started=$SECONDS
  dotnet src/Registry.Api/bin/Release/net10.0/Registry.Api.dll &
  api_pid=$!
  code=0
  wait "$api_pid" || code=$?
  api_pid=""
  if [ "$code" -eq 1 ] || [ "$code" -eq 2 ]; then
    echo "The registry stopped with exit code $code because of its settings (see above); correct them and run this again." >&2
    exit "$code"
  fi
  if [ $((SECONDS - started)) -ge "$quick_run_seconds" ]; then
    quick_exits=0
    pause=1
  else
    quick_exits=$((quick_exits + 1))
  fi
  if [ "$quick_exits" -ge "$max_quick_exits" ]; then
    echo "The registry exited $quick_exits times in a row within $quick_run_seconds s of starting (last exit code $code); giving up." >&2
    exit 1
  fi
  echo "The registry exited with code $code; starting it again in $pause s (the node keeps running; Ctrl-C stops both)." >&2
  sleep "$pause" &
  pause_pid=$!
  wait "$pause_pid" || true
  pause_pid=""
  pause=$((pause * 2))
done
