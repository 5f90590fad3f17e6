#!/usr/bin/env bash
# Benchmarks, ours beside the references in one run, on this machine; prints one table at the end.
# At each size (BENCH_SIZES, default 1000,10000,100000,1000000 credentials):
#   1. the Merkle tree to its root and one proof from the stored tree, ours in .NET and
#      @openzeppelin/merkle-tree in Node.js (the reference; about 200 s at 1,000,000);
#   2. the stores alone on the issuance documents: the registry's credential log, and LiteDB with one
#      indexed row per credential (the previous layout; up to 100,000);
#   3. the registry over HTTP on loopback (its own Hardhat node and data folder): bulk issuance by
#      2 clients, 1,000 a request, after an uncounted warm-up of BENCH_WARMUP_REQUESTS such requests
#      (default 40, past the 30 runs after which .NET recompiles a method optimised; each PostgreSQL
#      instance below is warmed the same way); sealing all of it into
#      one batch, anchoring it and fetching proofs; the API's resident memory; then the chain
#      follower catching up 100,000 blocks mined at once.
# Then POST /verify under wrk (2 threads, 32 connections, BENCH_WRK_SECONDS each after a warm-up of
# BENCH_WRK_WARMUP_SECONDS, none at 0; Debian's wrk, installed when missing) from
# the registry's chain index, on one credential and on the 1,000 or more different ones fetched at the
# last size in turn, each beside the reference, and on a portfolio of 20 by one client: the contract's verify as one eth_call to the node.
# Then stacked qualifications on the same registry: awarding a qualification of 10 components (BENCH_AWARDS
# awards, default 30, one after another), and POST /verify of a portfolio of 20 holding one of those awards
# with its 10 components (the tree) and 9 other credentials, by one client.
# Then the registry on PostgreSQL (a throwaway cluster of the bench's own, from Debian's server when it
# is installed; skipped, saying so, when not), on the same node:
#   1. two instances on one database, at each size: bulk issuance, one client to each, 1,000 a request,
#      with the CPU time it took the server and the instances;
#      sealing it all into one batch through the first, anchoring it and fetching 1,002 proofs through
#      both; their memory; then POST /verify under wrk through each instance, on the credentials fetched
#      at the last size in turn;
#   2. a registry of many credentials (BENCH_SCALE, default 10000,10000000): 1,000 issued and anchored
#      through the API, the rest copied into its database by binary COPY as members of that batch; an
#      instance started afterwards is timed on GET /credentials/{id} and on the store's lookup by digest
#      (BENCH_SCALE_LOOKUPS of each, default 2000; by id after BENCH_SCALE_WARMUP_SECONDS, default 10, of
#      uncounted lookups, with the first ones after its start given beside), and its memory read.
# Then offers delivered into wallets, on the first registry: making BENCH_OFFERS offers (default 100) and claiming
# each through the VC API exchange as a wallet does, one after another; and POST /credentials/issue of single
# credentials (the W3C VC API, signed at once) under wrk with the issuer's key, 16 connections.
# BENCH_ONLY=stacks runs only the stacked qualifications' rows (on a fresh registry, without the sizes);
# BENCH_ONLY=offers only the offers' and single issuance's (the same way); BENCH_ONLY=postgresql only the PostgreSQL rows.
# BENCH_DOTNET=1 also runs the BenchmarkDotNet suite (Keccak-256, Merkle at 1,000,000), with any arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
# shellcheck source=scripts/lib/postgres.sh
. scripts/lib/postgres.sh

sizes=${BENCH_SIZES:-1000,10000,100000,1000000}
only=${BENCH_ONLY:-}
scale=${BENCH_SCALE:-10000,10000000}
case "$only" in ""|stacks|offers|postgresql) ;; *) echo "BENCH_ONLY is empty (every row), stacks, offers or postgresql, not '$only'."; exit 2 ;; esac
data=$(mktemp -d)
rows="$data/rows.jsonl"
registry_pid=""
shared_pids=""
pg_stop=""
trap '[ -n "$registry_pid" ] && kill -- -"$registry_pid" 2>/dev/null; for p in $shared_pids; do kill -- -"$p" 2>/dev/null; done; [ -z "$pg_stop" ] || $pg_stop > /dev/null 2>&1; rm -rf "$data" "${pg_dir:-}"' EXIT
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version), Node.js $(node --version)"

if [ "${BENCH_DOTNET:-}" = 1 ]; then
  echo "== BenchmarkDotNet"
  if [ $# -eq 0 ]; then set -- --filter '*'; fi
  dotnet run -c Release --project bench/Registry.Bench -- "$@"
fi

# Built when a source of it is newer than its last build (the solution's build counts), under start.sh's
# build lock: the load generator shares the registry's projects, and a start.sh run may be building them.
# shellcheck source=scripts/lib/build.sh
. scripts/lib/build.sh
load=bench/Registry.Load/bin/Release/net10.0/Registry.Load.dll
build_if_changed "load generator" bench/Registry.Load "$load" bench/Registry.Load tests/Shared "${registry_sources[@]}" > /dev/null

if [ -z "$only" ]; then
echo "== Merkle tree: ours, then @openzeppelin/merkle-tree $(node -p 'require("@openzeppelin/merkle-tree/package.json").version') on Node.js $(node --version)"
dotnet "$load" merkle "$sizes" "$rows"
# shellcheck disable=SC2086
node bench/reference/oz-merkle-tree.js --rows "$rows" ${BENCH_REFERENCE_COUNTS:-${sizes//,/ }} > /dev/null

echo "== The stores alone, on the issuance documents"
dotnet "$load" store "$sizes" "$rows"
fi

echo "== The registry over HTTP"
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
rpc_port=$(free_port)
api_port=$(free_port)
export REGISTRY_DATA_DIR="$data/registry" REGISTRY_RPC_URL="http://127.0.0.1:$rpc_port" REGISTRY_URLS="http://127.0.0.1:$api_port"
# No rate or byte limit on /verify (wrk is one client). Every size is sealed into one batch when the
# benchmark asks, never earlier by size or by age.
export REGISTRY_VERIFY_RATE_LIMIT=0 REGISTRY_VERIFY_MIB_PER_MINUTE=0 REGISTRY_MAX_BATCH_SIZE=1048576 REGISTRY_MAX_DELAY_SECONDS=86400
# Waits until the registry at a URL says it is ok, as long as the process given runs (start.sh builds and
# publishes the page first on a fresh checkout, minutes on a busy machine) and at most 10 minutes, then
# prints the id of the process listening on its port (nothing when none does).
wait_listening() {
  for _ in $(seq 1 1200); do
    curl -fs "$1/health" 2>/dev/null | grep -q '"status":"ok"' && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  ss -ltnpH "sport = :${1##*:}" | grep -Eo 'pid=[0-9]+' | head -1 | cut -d= -f2
}
setsid scripts/start.sh > "$data/start.log" 2>&1 &
registry_pid=$!
api_pid=$(wait_listening "$REGISTRY_URLS" "$registry_pid")
[ -n "$api_pid" ] || { echo "The registry did not start:"; cat "$data/start.log"; exit 1; }
# On PostgreSQL only, this registry is there for its node.
[ -n "$only" ] || dotnet "$load" http "$REGISTRY_URLS" "$(cat "$REGISTRY_DATA_DIR/admin.key")" "$api_pid" "$REGISTRY_RPC_URL" "$sizes" "$rows" "$data/portable.json" "$data/rotation.jsonl" "$data/portfolio.json"
if [ -z "$only" ] || [ "$only" = stacks ]; then
  echo "== Stacked qualifications: awarding one of 10 components, one client"
  dotnet "$load" stacks "$REGISTRY_URLS" "$(cat "$REGISTRY_DATA_DIR/admin.key")" "${BENCH_AWARDS:-30}" "$rows" "$data/stack.json"
fi
if [ -z "$only" ] || [ "$only" = offers ]; then
  echo "== Offers: made, then claimed through the VC API exchange by a wallet, one after another"
  dotnet "$load" offers "$REGISTRY_URLS" "$(cat "$REGISTRY_DATA_DIR/admin.key")" "${BENCH_OFFERS:-100}" "$rows" "$data/issue.json" "$data/issuer.key"
fi

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
json() { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).$1"; }
thousands() { node -p "Number($1).toLocaleString('en-US')"; }
# Runs wrk on POST bodies, one a line of a file, each connection sending them in turn, and appends its
# rate, median and p99 as rows: measure, side, URL, bodies file, and optionally the connections (32 when
# left out; wrk's threads are 2, or 1 for one connection) and an API key sent as the bearer.
wrk_rows() {
  local auth=""
  [ -z "${6:-}" ] || auth="wrk.headers[\"Authorization\"] = \"Bearer $6\""
  cat > "$data/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
$auth
local bodies = {}
for line in io.lines("$4") do if #line > 0 then bodies[#bodies + 1] = line end end
local requests, turn, threads = {}, 0, 0
function setup(thread) thread:set("first", threads * 7919); threads = threads + 1 end
function init() for i, body in ipairs(bodies) do requests[i] = wrk.format(nil, nil, nil, body) end; turn = first or 0 end
function request() turn = turn % #requests + 1; return requests[turn] end
LUA
  local connections=${5:-32} threads=2
  [ "$connections" -ge 2 ] || threads=1
  # A first, uncounted run lets the server compile its hot path (tiered JIT) before the measured one
  # (none when BENCH_WRK_WARMUP_SECONDS is 0).
  local warmup=${BENCH_WRK_WARMUP_SECONDS:-3}
  [ "$warmup" = 0 ] || wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$data/post.lua" "$3" > /dev/null
  wrk -t"$threads" -c"$connections" -d"${BENCH_WRK_SECONDS:-10}s" --latency -s "$data/post.lua" "$3" > "$data/wrk.txt"
  grep -E 'Requests/sec|50%|99%|requests in|Non-2xx' "$data/wrk.txt" | sed 's/^/  /'
  ! grep -q 'Non-2xx' "$data/wrk.txt" || { echo "wrk saw refusals; not counting them"; exit 1; }
  local rate p50 p99 count
  percentile() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }' "$data/wrk.txt"; }
  rate=$(awk '/Requests\/sec/ { print $2 }' "$data/wrk.txt")
  p50=$(percentile "50%")
  p99=$(percentile "99%")
  count=$(grep -c . "$4")
  local how="wrk, $threads threads, $connections connections"
  [ "$count" = 1 ] || how="$how, $(thousands "$count") different bodies in turn"
  [ -z "${6:-}" ] || how="$how, with the issuer's key"
  printf '{"measure":"%s","value":%s,"unit":"requests/s","side":"%s","note":"%s"}\n' "$1" "$rate" "$2" "$how" >> "$rows"
  printf '{"measure":"%s, median","value":%s,"unit":"ms","side":"%s","note":"%s"}\n' "$1" "$p50" "$2" "$how" >> "$rows"
  printf '{"measure":"%s, p99","value":%s,"unit":"ms","side":"%s","note":"%s"}\n' "$1" "$p99" "$2" "$how" >> "$rows"
}
# The stacked portfolio was checked by Registry.Load to verify as a tree of the award and its 10 components.
if [ -z "$only" ] || [ "$only" = stacks ]; then
  echo "== POST /verify of a portfolio of 20 holding a qualification and its 10 components, under wrk, one connection, from the chain index"
  wrk_rows "POST /verify, a portfolio of 20: a qualification, its 10 components nested, 9 others (ours: from the chain index)" ours "$REGISTRY_URLS/verify" "$data/stack.json" 1
fi
if [ -z "$only" ] || [ "$only" = offers ]; then
  # Each request issues a new credential (its own id, salt and status index), signed at once and queued for anchoring.
  echo "== POST /credentials/issue of single credentials under wrk, 16 connections, with the issuer's key"
  wrk_rows "POST /credentials/issue, one credential signed at once (eddsa-rdfc-2022) and queued for anchoring" ours "$REGISTRY_URLS/credentials/issue" "$data/issue.json" 16 "$(cat "$data/issuer.key")"
fi

if [ -z "$only" ]; then
# The bodies must verify, or wrk would time quick refusals: the rotation's were each checked by Registry.Load.
verified=$(curl -fs -X POST "$REGISTRY_URLS/verify" -H 'Content-Type: application/json' --data-binary @"$data/portable.json" | json verified)
[ "$verified" = true ] || { echo "The benchmark's credential does not verify; not timing it."; exit 1; }
single="POST /verify (ours: from the chain index, no node call)"
rotation="POST /verify, $(thousands "$(grep -c . "$data/rotation.jsonl")") different credentials in turn (ours: from the chain index, no node call)"
reference="the contract's verify as one eth_call to the node per request"
echo "== POST /verify under wrk, from the chain index (the body verifies: $verified)"
wrk_rows "$single" ours "$REGISTRY_URLS/verify" "$data/portable.json"
echo "== POST /verify under wrk, the credentials fetched at the last size in turn (each verifies)"
wrk_rows "$rotation" ours "$REGISTRY_URLS/verify" "$data/rotation.jsonl"
verified=$(curl -fs -X POST "$REGISTRY_URLS/verify" -H 'Content-Type: application/json' --data-binary @"$data/portfolio.json" | json verified)
[ "$verified" = true ] || { echo "The benchmark's portfolio does not verify; not timing it."; exit 1; }
# A portfolio of 20 is a large verification (over 64 KiB): the registry verifies one per two cores at a
# time and refuses a crowd with 503s, so it is timed as one client sees it, one request after another.
echo "== POST /verify of a portfolio of 20 credentials under wrk, one connection, from the chain index"
wrk_rows "POST /verify, a portfolio of 20 credentials (ours: from the chain index)" ours "$REGISTRY_URLS/verify" "$data/portfolio.json" 1
node bench/reference/verify-call.js "$data/portable.json" "$data/call.json"
node bench/reference/verify-call.js "$data/rotation.jsonl" "$data/calls.jsonl"
included=$(curl -fs -X POST "$REGISTRY_RPC_URL" -H 'Content-Type: application/json' --data-binary @"$data/call.json" | json result)
echo "== Reference: the contract's verify as one eth_call to the Hardhat node per request (answer ${included:0:66}…)"
wrk_rows "$single" "$reference" "$REGISTRY_RPC_URL" "$data/call.json"
wrk_rows "$rotation" "$reference" "$REGISTRY_RPC_URL" "$data/calls.jsonl"
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if { [ -z "$only" ] || [ "$only" = postgresql ]; } && [ -z "$pg_bin" ]; then
  echo "== The registry on PostgreSQL: skipped, no PostgreSQL server (apt-get install postgresql)"
elif [ -z "$only" ] || [ "$only" = postgresql ]; then
  echo "== The registry on PostgreSQL: a throwaway cluster"
  pg_port=$(free_port)
  # Fewer checkpoints while millions of rows are written; every commit is still flushed (fsync, synchronous_commit).
  start_throwaway_postgres "$pg_bin" "$pg_port" "$data/initdb.txt" max_wal_size=8GB
  pg_url() { echo "postgresql://postgres@127.0.0.1:$pg_port/$1"; }
  # Starts an instance on a database (created when new) and waits for it: instance_url and instance_pid are set.
  # With start.sh's gen0 budget (DOTNET_GCgen0size, exported there for the registry it starts): without it an
  # instance collects gen0 many times as often under POST /verify, and it would not be timed as the LiteDB registry is.
  start_instance() {
    local database=$1 name=$2 port started
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$database" 2>/dev/null || true
    port=$(free_port)
    instance_url="http://127.0.0.1:$port"
    DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}" REGISTRY_DATABASE_URL=$(pg_url "$database") REGISTRY_URLS="$instance_url" \
      REGISTRY_DATA_DIR="$data/$name" REGISTRY_ADMIN_KEY=bench-shared-admin REGISTRY_KEYSTORE_PASSWORD=bench-shared-keystore \
      setsid dotnet src/Registry.Api/bin/Release/net10.0/Registry.Api.dll > "$data/$name.log" 2>&1 &
    started=$!
    shared_pids="$shared_pids $started"
    instance_pid=$(wait_listening "$instance_url" "$started")
    [ -n "$instance_pid" ] || { echo "Instance $name did not start:"; cat "$data/$name.log"; exit 1; }
  }
  stop_instances() {
    for p in $shared_pids; do kill -- -"$p" 2>/dev/null || true; done
    for p in $shared_pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
    shared_pids=""
  }

  echo "== PostgreSQL, two instances on one database: bulk issuance through both, seal to proofs, memory"
  start_instance registry shared-1; url_1=$instance_url; pid_1=$instance_pid
  start_instance registry shared-2; url_2=$instance_url; pid_2=$instance_pid
  # The server's postmaster: the CPU time of issuance is read from it and the processes it started.
  dotnet "$load" shared "$url_1" "$url_2" bench-shared-admin "$pid_1" "$pid_2" "$sizes" "$rows" "$data/rotation-pg.jsonl" "$(head -1 "$pg_dir/data/postmaster.pid")"
  pg_rotation="POST /verify, $(thousands "$(grep -c . "$data/rotation-pg.jsonl")") different credentials in turn"
  echo "== PostgreSQL: POST /verify under wrk through each instance, the credentials fetched at the last size in turn"
  wrk_rows "$pg_rotation, through instance 1 of 2 on PostgreSQL" ours "$url_1/verify" "$data/rotation-pg.jsonl"
  wrk_rows "$pg_rotation, through instance 2 of 2 on PostgreSQL" ours "$url_2/verify" "$data/rotation-pg.jsonl"
  stop_instances

  for count in ${scale//,/ }; do
    echo "== PostgreSQL: a registry of $(thousands "$count") credentials, then an instance started on it"
    start_instance "scale_$count" "scale-$count"
    dotnet "$load" scale-prepare "$instance_url" bench-shared-admin "$(pg_url "scale_$count")" "$count" "$data/scale-$count.json"
    stop_instances
    start_instance "scale_$count" "scale-$count-again"
    dotnet "$load" scale-measure "$instance_url" "$(pg_url "scale_$count")" "$instance_pid" "$data/scale-$count.json" "$rows"
    stop_instances
    "$pg_bin/dropdb" -h 127.0.0.1 -p "$pg_port" -U postgres "scale_$count"
  done
  $pg_stop > /dev/null
  pg_stop=""
fi

echo
echo "== Results ($(date -u +%Y-%m-%d), $(nproc) cores; the registry, its node and the load generators share them)"
node bench/table.js "$rows"
