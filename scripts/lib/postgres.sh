# Sourced by scripts/test.sh and scripts/bench.sh: a throwaway PostgreSQL cluster of their own.

# Starts a cluster from the server binaries in PG_BIN: initdb into a new temporary folder (trust, UTF-8,
# C locale; no fsync of initdb's own files, which nothing keeps), then the server on PORT of the loopback
# address with each further argument as a setting (`max_connections=300`). PostgreSQL refuses to run as
# root, so as root the folder and the server are the postgres user's. initdb's output goes to
# INITDB_LOG. Sets pg_dir (the folder, for the caller to remove) and pg_stop (the command that stops
# the server at once); returns non-zero, saying which step failed, when either step does.
# usage: start_throwaway_postgres PG_BIN PORT INITDB_LOG [SETTING ...]
start_throwaway_postgres() {
  local bin=$1 port=$2 initdb_log=$3 setting options
  shift 3
  local as_pg=()
  pg_dir=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C > "$initdb_log" 2>&1 \
    || { cat "$initdb_log" >&2; echo "initdb failed" >&2; return 1; }
  options="-p $port -k $pg_dir -c listen_addresses=127.0.0.1"
  for setting in "$@"; do options+=" -c $setting"; done
  "${as_pg[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o "$options" start > /dev/null \
    || { cat "$pg_dir/server.log" >&2; echo "the PostgreSQL server did not start" >&2; return 1; }
  pg_stop="${as_pg[*]} $bin/pg_ctl -D $pg_dir/data -m immediate -w stop"
}
