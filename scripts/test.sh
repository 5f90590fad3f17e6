#!/usr/bin/env bash
# Installs what is missing and runs every test, suite by suite: the contract's Hardhat tests while the
# .NET solution builds, then the .NET suite (unit tests, and integration tests against Hardhat nodes
# started on free ports, the browser tests in headless Chromium among them) with its registries on
# LiteDB, and beside it a second pass of the test classes that reach a registry's store, on PostgreSQL
# (a throwaway cluster this script starts and stops), then the standard-tools test in Node.js on every
# portable credential the .NET suites fetched.
#
# What it may install, and says so when it does: the npm packages (npm ci, from the npm registry),
# the NuGet packages (dotnet restore, from nuget.org), and Debian's Chromium for the browser tests
# (apt-get install chromium, through sudo unless run as root) when neither `chromium` nor
# CHROMIUM_PATH names a browser, and Debian's PostgreSQL server (apt-get install postgresql) when none
# is under /usr/lib/postgresql.
#
# While a suite runs it prints how many of its tests have finished every 15 seconds; at the end, one
# line per suite with its passed, failed and skipped tests, its time and the processor time its processes
# took (user and system time; a process that outlives the suite's own is not counted), then each failed test's name
# and the start of its message again, so the last screen of a long run says what failed. A suite that ends without
# reporting its counts is counted as failed, never as passed. The exit code is 0 only when every
# suite reported and nothing failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh
# shellcheck source=scripts/lib/postgres.sh
. scripts/lib/postgres.sh

# Installs a Debian package the tests need, saying so first: as root, or through sudo.
install_from_debian() {
  local package=$1 what_for=$2 sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "Installing $what_for: ${sudo:+sudo }apt-get install $package${sudo:+ (sudo may ask for your password)}"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$package" >/dev/null
}
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  install_from_debian chromium "Chromium for the browser tests (set CHROMIUM_PATH to use a browser of your own instead)"
fi
# The tests on PostgreSQL run on a throwaway cluster of Debian's server, which this script starts below.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  install_from_debian postgresql "PostgreSQL for the PostgreSQL store's tests"
fi

log=$(mktemp -d)
pg_stop=""
trap '[ -z "$pg_stop" ] || $pg_stop > /dev/null 2>&1; rm -rf "$log" "${pg_dir:-}"; remove_cpu_groups' EXIT
# Interrupted or terminated, the script still stops its PostgreSQL and removes what it made, on its way out.
trap 'exit 130' INT
trap 'exit 143' TERM
run_started=$SECONDS

duration() { local s=$1; if [ "$s" -ge 60 ]; then echo "$((s / 60)) min $((s % 60)) s"; else echo "$s s"; fi; }

# Processor time per suite comes from a cpuacct control group of its own, which counts every process the
# suite starts, whoever waits for it (the shell's `times` misses a test host's children that their parents
# never reap). Without a writable cpuacct hierarchy, no per-suite figure is printed.
cpuacct_root=/sys/fs/cgroup/cpuacct
cpu_groups=()
# Runs a command in a control group named after the file given (when it can make one), and exits with the
# command's code.
with_cpu_time() {
  local file=$1; shift
  local group="$cpuacct_root/registry-tests-$$-$(basename "$file" .cpu)"
  if mkdir "$group" 2> /dev/null; then echo "$group" > "$file"; else group=""; fi
  ( [ -z "$group" ] || echo "$BASHPID" > "$group/cgroup.procs" 2> /dev/null || true
    exec "$@" )
}
# Removes the suites' control groups, moving what still runs in one (a build server) back to the root group.
remove_cpu_groups() {
  local group pid
  for group in "$cpuacct_root"/registry-tests-$$-*; do
    [ -d "$group" ] || continue
    for pid in $(cat "$group/cgroup.procs" 2> /dev/null); do echo "$pid" > "$cpuacct_root/cgroup.procs" 2> /dev/null || true; done
    rmdir "$group" 2> /dev/null || true
  done
}
cpu_total=0
# Sets cpu to " (N CPU-s)" and cpu_cell to "N CPU-s", the processor time of the control group named in a
# file of with_cpu_time in whole seconds, and adds it to the run's total; both to nothing without a group.
read_cpu() {
  local group ns
  cpu=""; cpu_cell=""
  group=$(cat "$1" 2> /dev/null) || return 0
  ns=$(cat "$group/cpuacct.usage" 2> /dev/null) || return 0
  cpu_groups+=("$group")
  cpu_cell="$(((ns + 500000000) / 1000000000)) CPU-s"
  cpu_total=$((cpu_total + (ns + 500000000) / 1000000000)); cpu=" ($cpu_cell)"
}
# The machine's processor time since it started, in hundredths of a second (the first line of /proc/stat,
# all but idle and iowait).
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat 2> /dev/null || echo 0; }
machine_started=$(machine_cpu)

# How many tests of a suite have finished so far, from its output: "N passed, N failed".
finished() {
  local kind=$1 file=$2 passed failed
  case "$kind" in
    mocha) passed=$(grep -c '✔' "$file" || true); failed=$(grep -cE '^ +[0-9]+\) ' "$file" || true) ;;
    dotnet) passed=$(grep -cE '^ +Passed ' "$file" || true); failed=$(grep -cE '^ +Failed ' "$file" || true) ;;
    tap) passed=$(grep -cE '^ok ' "$file" || true); failed=$(grep -cE '^not ok ' "$file" || true) ;;
  esac
  echo "$passed passed, $failed failed"
}

# The number in the last line of a file that matches a pattern holding one number, or 0.
last_count() { local n; n=$(grep -Eo "$1" "$2" | tail -1 | grep -Eo '[0-9]+' | head -1) || true; echo "${n:-0}"; }

# The counts a suite reported at its end, as "passed failed skipped", or nothing when it reported none.
reported() {
  local kind=$1 file=$2
  case "$kind" in
    mocha)
      grep -qE '^ +[0-9]+ passing' "$file" || return 0
      echo "$(last_count '[0-9]+ passing' "$file") $(last_count '[0-9]+ failing' "$file") $(last_count '[0-9]+ pending' "$file")" ;;
    dotnet)
      # One summary per test project, on one line at minimal verbosity ("Passed!  - Failed: 0,
      # Passed: 312, Skipped: 0, Total: 312, …") or, at normal verbosity, as a block after
      # "Total tests: N" with a line each for "Passed: N", "Failed: N" and "Skipped: N".
      if grep -qE '^(Passed|Failed)! ' "$file"; then
        grep -E '^(Passed|Failed)! ' "$file" | awk -F'[:,]' '
          { for (i = 1; i < NF; i++) { k = $i; gsub(/.* /, "", k); v = $(i + 1) + 0
              if (k == "Passed") p += v; else if (k == "Failed") f += v; else if (k == "Skipped") s += v } }
          END { print p + 0, f + 0, s + 0 }'
      elif grep -qE '^Total tests: [0-9]+' "$file"; then
        awk '/^Total tests: / { block = 1; next }
             block && $1 == "Passed:" { p += $2; next }
             block && $1 == "Failed:" { f += $2; next }
             block && $1 == "Skipped:" { s += $2; next }
             { block = 0 }
             END { print p + 0, f + 0, s + 0 }' "$file"
      fi ;;
    tap)
      grep -qE '^# pass [0-9]+' "$file" || return 0
      echo "$(last_count '^# pass [0-9]+' "$file") $(last_count '^# fail [0-9]+' "$file")" \
           "$(( $(last_count '^# skipped [0-9]+' "$file") + $(last_count '^# todo [0-9]+' "$file") ))" ;;
  esac
}

summary=()
failures=()
total_failed=0

# The failed tests in a suite's output, each with the first lines of its message.
failed_tests() {
  local kind=$1 file=$2
  case "$kind" in
    mocha) awk '/^ +[0-9]+ (passing|failing)/ { tail = 1 } tail && /^ +[0-9]+\) / { n = 0; on = 1 } on && n++ < 12' "$file" ;;
    dotnet) awk '/^ +Failed [A-Za-z_]/ { n = 0; on = 1 } /^ +(Passed|Skipped) [A-Za-z_]/ { on = 0 } on && n++ < 14' "$file" ;;
    tap) grep -E -A8 '^not ok ' "$file" || true ;;
  esac
}
# The suites started and not yet reported, by slot: name, kind of output (mocha, dotnet, tap), log
# file, process, start and end time.
s_name=(); s_kind=(); s_file=(); s_pid=(); s_started=(); s_ended=()
# Starts a suite in the background: its name, the kind of output it writes, then its command. Its whole
# output goes to a log, printed when the suite fails.
start_suite() {
  local i=${#s_name[@]}
  s_name[i]=$1; s_kind[i]=$2; shift 2
  s_file[i]="$log/suite-$i.txt"; s_started[i]=$SECONDS; s_ended[i]=""
  echo "== ${s_name[i]}: started"
  with_cpu_time "${s_file[i]}.cpu" "$@" > "${s_file[i]}" 2>&1 &
  s_pid[i]=$!
}
# Waits for the suites of the slots given, printing each one's progress every 15 seconds meanwhile, and
# then reports each, in the order given.
wait_suites() {
  local i last=$SECONDS running=1 code counts passed failed skipped note took cpu
  while [ "$running" = 1 ]; do
    sleep 1
    running=0
    for i in "$@"; do
      [ -n "${s_ended[i]}" ] && continue
      if kill -0 "${s_pid[i]}" 2>/dev/null; then running=1; else s_ended[i]=$SECONDS; fi
    done
    if [ "$running" = 1 ] && [ $((SECONDS - last)) -ge 15 ]; then
      last=$SECONDS
      for i in "$@"; do
        [ -z "${s_ended[i]}" ] && echo "   ${s_name[i]}: $(finished "${s_kind[i]}" "${s_file[i]}") after $(duration $((SECONDS - s_started[i])))"
      done
    fi
  done
  for i in "$@"; do
    code=0; note=""
    wait "${s_pid[i]}" || code=$?
    counts=$(reported "${s_kind[i]}" "${s_file[i]}")
    if [ -z "$counts" ]; then
      passed=$(finished "${s_kind[i]}" "${s_file[i]}" | cut -d' ' -f1); failed=1; skipped=0
      note=" (it ended with exit code $code without reporting its counts: counted as failed)"
    else
      read -r passed failed skipped <<< "$counts"
      if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; note=" (exit code $code with no failed test: counted as failed)"; fi
    fi
    if [ "$failed" -gt 0 ]; then
      echo "-- ${s_name[i]}: output"
      cat "${s_file[i]}"
      failures+=("-- ${s_name[i]}: what failed" "$(failed_tests "${s_kind[i]}" "${s_file[i]}")")
    fi
    took=$(duration $((s_ended[i] - s_started[i])))
    read_cpu "${s_file[i]}.cpu"
    echo "== ${s_name[i]}: $passed passed, $failed failed, $skipped skipped in $took$cpu$note"
    summary+=("$(printf '%-52s %7s %7s %8s   %-12s %s' "${s_name[i]}" "$passed" "$failed" "$skipped" "$took" "$cpu_cell")")
    total_failed=$((total_failed + failed))
  done
}
# Runs one suite (as start_suite takes it) and reports it.
run_suite() {
  start_suite "$@"
  wait_suites $((${#s_name[@]} - 1))
}

# The .NET solution builds (on both cores) while the contract tests run (on one): neither reads what
# the other writes. A failed build ends the run with the compiler's errors. Its processor time leaves out
# MSBuild's worker processes, which outlive the command that started them.
echo "== Building the .NET solution, beside the contract tests"
build_started=$SECONDS
( code=0
  with_cpu_time "$log/build.cpu" dotnet build Registry.sln -c Release -nologo -v quiet -clp:ErrorsOnly > "$log/build.txt" 2>&1 || code=$?
  echo "$SECONDS" > "$log/build.end"
  exit "$code" ) &
build_pid=$!
run_suite "Contract tests (Hardhat)" mocha npx hardhat test
build_code=0
wait "$build_pid" || build_code=$?
if [ "$build_code" -ne 0 ]; then
  cat "$log/build.txt"
  echo "== The .NET build failed (exit code $build_code)"
  exit "$build_code"
fi
read_cpu "$log/build.cpu"
echo "== .NET solution built in $(duration $(($(cat "$log/build.end") - build_started)))$cpu"

# Every portable credential a test fetches is checked against the schemas and kept here for the next suite.
export REGISTRY_ISSUED_CREDENTIALS_DIR="$log/issued"
# One throwaway PostgreSQL cluster serves both .NET passes (each test takes a database of its own on it):
# initdb into a temporary folder, on a free loopback port, as the postgres user when run as root (the
# server refuses root); stopped when this script exits. A test that stops its server starts its own.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
start_throwaway_postgres "$pg_bin" "$pg_port" "$log/initdb.txt" max_connections=300 || { echo "== PostgreSQL for the tests failed"; exit 1; }
export REGISTRY_TEST_POSTGRES_PORT=$pg_port
echo "== PostgreSQL $("$pg_bin/postgres" --version | grep -Eo '[0-9]+(\.[0-9]+)+' | head -1) for the tests, on port $pg_port"

# The registries of the .NET tests keep their data on LiteDB (the data folder) in the whole suite, and
# the test classes that start a registry and keep, change or read back what its store holds (trait Store=each) run a second
# time on PostgreSQL, each registry with a database of its own on the run's cluster, beside the first
# pass. REGISTRY_TEST_STORES_ONE_AFTER_THE_OTHER=1 runs the second pass after the first instead.
# With -m:1, dotnet test starts no MSBuild worker of its own (there is nothing left to build): a second
# .NET process fewer per pass, and the test host is then a process the pass waits for, so its processor
# time is counted.
start_suite ".NET tests on LiteDB (with the browser tests)" dotnet \
  dotnet test Registry.sln -m:1 -c Release --no-build -nologo --logger "console;verbosity=normal"
if [ "${REGISTRY_TEST_STORES_ONE_AFTER_THE_OTHER:-}" = 1 ]; then wait_suites $((${#s_name[@]} - 1)); fi
start_suite ".NET tests on PostgreSQL (Store=each)" dotnet \
  env REGISTRY_TEST_STORE=postgresql dotnet test Registry.sln -m:1 -c Release --no-build -nologo --filter "Store=each" \
  --logger "console;verbosity=normal"
if [ "${REGISTRY_TEST_STORES_ONE_AFTER_THE_OTHER:-}" = 1 ]; then wait_suites $((${#s_name[@]} - 1)); else wait_suites $((${#s_name[@]} - 2)) $((${#s_name[@]} - 1)); fi

run_suite "Standard tools (jsonld.js, ajv) on issued credentials" tap node --test tests/interop/standard-tools.test.js

echo
printf '%-52s %7s %7s %8s   %-12s %s\n' "suite" "passed" "failed" "skipped" "time" "processor"
printf '%s\n' "${summary[@]}"
machine=$((($(machine_cpu) - machine_started) / 100))
if [ ${#cpu_groups[@]} -gt 0 ]; then in_groups="$cpu_total CPU-s in the build and the suites, "; else in_groups=""; fi
echo "Whole run: $(duration $((SECONDS - run_started))), ${in_groups}$machine CPU-s on the whole machine meanwhile; $total_failed failed."
if [ "${#failures[@]}" -gt 0 ]; then
  echo
  printf '%s\n' "${failures[@]}"
fi
[ "$total_failed" -eq 0 ]
