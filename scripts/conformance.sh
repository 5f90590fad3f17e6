#!/usr/bin/env bash
# Runs the W3C conformance suites against a registry of its own and prints what passed and failed.
#
#   scripts/conformance.sh SUITES_DIR
#
# SUITES_DIR holds checkouts of the suites and their two helpers, each in the folder of its
# repository's name:
#   vc-data-model-2.0-test-suite          (github.com/w3c/vc-data-model-2.0-test-suite)
#   vc-di-eddsa-test-suite                (github.com/w3c/vc-di-eddsa-test-suite)
#   vc-test-suite-implementations         (github.com/w3c/vc-test-suite-implementations)
#   data-integrity-test-suite-assertion   (github.com/w3c-ccg/data-integrity-test-suite-assertion)
#
# A suite without its node_modules gets them from the npm registry; its two helpers, which its
# package.json names as GitHub dependencies, are installed from the checkouts beside it instead, so
# nothing but the npm registry is reached. The suites then run offline: their contexts come with
# their npm packages, and a localConfig.cjs (the helpers' mechanism for local implementations) names
# only this registry. The script writes that file into each suite, and puts back any the suite had.
#
# The registry is started the way scripts/start.sh starts it (a local Hardhat node of its own), on
# free ports, over HTTPS with a self-signed certificate made for the run: the suites send an
# endpoint's headers (the issuer's API key) only over HTTPS. One issuer is created; the suites issue
# as that issuer and verify anonymously. Its data and logs are kept in a temporary folder the
# script names at the end.
#
# Exit code: 0 when every test of every suite passed; 1 when a test failed or a suite could not run;
# 2 when SUITES_DIR is missing or a tool the script needs is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(vc-data-model-2.0-test-suite vc-di-eddsa-test-suite)
helpers=(vc-test-suite-implementations data-integrity-test-suite-assertion)

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "Usage: scripts/conformance.sh SUITES_DIR (a folder holding checkouts of ${suites[*]} ${helpers[*]})" >&2
  exit 2
fi
if [ ! -d "$1" ]; then
  echo "SUITES_DIR '$1' is not a folder. Clone the W3C suites into one, each in the folder of its repository's name:" >&2
  for name in "${suites[@]}" "${helpers[@]}"; do echo "  $name" >&2; done
  exit 2
fi
suites_dir=$(cd "$1" && pwd)
for tool in node npm openssl curl dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is required and is not on the PATH." >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/registry-conformance.XXXXXX")
registry_pid=""
registry_started=""
restore=()
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  local pair
  for pair in "${restore[@]+"${restore[@]}"}"; do
    # "saved|original": put back a file the script replaced, or remove one it wrote ("-|original").
    if [ "${pair%%|*}" = - ]; then rm -f "${pair#*|}"; else mv -f "${pair%%|*}" "${pair#*|}"; fi
  done
  # Without a registry there are no logs to keep.
  [ -n "$registry_started" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Replaces FILE for the run, keeping what was there to put back at the end.
set_aside() {
  local file=$1 saved
  if [ -e "$file" ]; then
    saved="$work/saved.$(echo "$file" | tr '/' '_')"
    cp -p "$file" "$saved"
    restore+=("$saved|$file")
  else
    restore+=("-|$file")
  fi
}

# Installs a suite's npm dependencies when they are missing: its GitHub dependencies come from the
# checkouts beside it (packed and installed as ordinary packages, with their own dependencies).
install_suite() {
  local dir=$1
  [ -d "$dir/node_modules/mocha" ] && [ -d "$dir/node_modules/vc-test-suite-implementations" ] && return 0
  local helper
  for helper in "${helpers[@]}"; do
    if grep -q "\"$helper\"" "$dir/package.json" && [ ! -f "$suites_dir/$helper/package.json" ]; then
      echo "$(basename "$dir") needs $helper, which is not checked out in $suites_dir." >&2
      return 1
    fi
  done
  echo "Installing the npm packages of $(basename "$dir")"
  set_aside "$dir/package.json"
  node -e '
    const fs = require("fs");
    const [file, helpersDir] = process.argv.slice(1);
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const [name, spec] of Object.entries(manifest.dependencies || {}))
      if (/^(github:|git\+|https?:)/.test(String(spec))) manifest.dependencies[name] = "file:" + helpersDir + "/" + name;
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");' "$dir/package.json" "$suites_dir"
  local code=0
  (cd "$dir" && npm install --omit=dev --install-links --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error) || code=$?
  # Put the package.json back at once: the run needs only node_modules.
  cp -p "$work/saved.$(echo "$dir/package.json" | tr '/' '_')" "$dir/package.json"
  return "$code"
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

declare -A outcome passed
runnable=()
for suite in "${suites[@]}"; do
  if [ ! -f "$suites_dir/$suite/package.json" ]; then
    outcome[$suite]="could not run: $suite is not checked out in $suites_dir"
  elif ! install_suite "$suites_dir/$suite"; then
    outcome[$suite]="could not run: its npm packages could not be installed"
  else
    runnable+=("$suite")
  fi
done

if [ ${#runnable[@]} -gt 0 ]; then
  api_port=$(free_port)
  rpc_port=$(free_port)
  while [ "$rpc_port" = "$api_port" ]; do rpc_port=$(free_port); done
  base="https://127.0.0.1:$api_port"
  admin_key=$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null

  echo "Starting a registry at $base (its node on port $rpc_port; log: $work/registry.log)"
  REGISTRY_URLS="$base" REGISTRY_RPC_URL="http://127.0.0.1:$rpc_port" REGISTRY_DATA_DIR="$work/data" \
    REGISTRY_ADMIN_KEY="$admin_key" REGISTRY_VERIFY_RATE_LIMIT=0 REGISTRY_VERIFY_MIB_PER_MINUTE=0 REGISTRY_LOCAL_NODE=hardhat \
    Kestrel__Certificates__Default__Path="$work/tls.crt" Kestrel__Certificates__Default__KeyPath="$work/tls.key" \
    scripts/start.sh > "$work/registry.log" 2>&1 &
  registry_pid=$!
  registry_started=yes
  up=false
  for _ in $(seq 1 600); do
    if curl -sf --cacert "$work/tls.crt" "$base/health" >/dev/null 2>&1; then up=true; break; fi
    kill -0 "$registry_pid" 2>/dev/null || break
    sleep 1
  done
  if [ "$up" != true ]; then
    echo "The registry did not start:" >&2
    tail -30 "$work/registry.log" >&2
    exit 1
  fi

  issuer=$(curl -sf --cacert "$work/tls.crt" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    -d '{"name":"W3C Conformance Issuer","url":"https://conformance.example"}' "$base/issuers") \
    || { echo "The registry did not create the issuer the suites issue as." >&2; exit 1; }
  did_key=$(node -e 'console.log(JSON.parse(process.argv[1]).didKey)' "$issuer")
  api_key=$(node -e 'console.log(JSON.parse(process.argv[1]).apiKey)' "$issuer")
  echo "The suites issue as $did_key"

  for suite in "${runnable[@]}"; do
    dir="$suites_dir/$suite"
    set_aside "$dir/localConfig.cjs"
    node -e '
      const [file, base, didKey, apiKey] = process.argv.slice(1);
      const tags = ["vc2.0", "eddsa-rdfc-2022"];
      const supports = {vc: ["2.0"]};
      const config = {
        settings: {enableInteropTests: false, testAllImplementations: false},
        implementations: [{
          name: "Credential Registry",
          implementation: "Credential Registry (this checkout)",
          issuers: [{id: didKey, endpoint: base + "/credentials/issue", headers: {Authorization: "Bearer " + apiKey}, supports, tags}],
          verifiers: [{id: base, endpoint: base + "/credentials/verify", supports, tags}],
          vpVerifiers: [{id: base, endpoint: base + "/presentations/verify", supports, tags}],
        }],
      };
      require("fs").writeFileSync(file, "// Written by scripts/conformance.sh for one run against a local registry.\nmodule.exports = " +
        JSON.stringify(config, null, 2) + ";\n");' "$dir/localConfig.cjs" "$base" "$did_key" "$api_key"

    echo "Running $suite"
    report="$work/$suite.json"
    (cd "$dir" && NODE_EXTRA_CA_CERTS="$work/tls.crt" node node_modules/mocha/bin/mocha.js tests/ --timeout 15000 --preserve-symlinks \
      --reporter json --reporter-option "output=$report") > "$work/$suite.log" 2>&1 || true
    if [ ! -s "$report" ]; then
      outcome[$suite]="could not run: mocha wrote no report (see $work/$suite.log)"
      tail -20 "$work/$suite.log" >&2
      continue
    fi
    if node -e 'const { stats } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        process.exit(stats.failures === 0 && stats.passes > 0 ? 0 : 1)' "$report"; then
      passed[$suite]=true
    fi
    outcome[$suite]=$(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const { passes, failures, pending } = r.stats;
      console.log(`${passes} passed, ${failures} failed` + (pending ? `, ${pending} pending` : ""));
      for (const f of r.failures) console.log(`    failed: ${f.fullTitle}\n        ${String(f.err.message || "").split("\n")[0]}`);' "$report")
  done
fi

echo
echo "Conformance of the registry with the W3C suites:"
failed=false
for suite in "${suites[@]}"; do
  echo "  $suite: ${outcome[$suite]}"
  [ "${passed[$suite]:-}" = true ] || failed=true
done
[ -z "$registry_started" ] || echo "Logs and mocha reports: $work"
[ "$failed" = false ]
