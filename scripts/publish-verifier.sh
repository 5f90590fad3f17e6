#!/usr/bin/env bash
# Writes the browser verifier as a folder of static files that any web server can serve:
#   scripts/publish-verifier.sh [DIR] [--trusted FILE] [--if-changed]
# DIR defaults to dist/verifier. trusted.json in DIR lists the registries the page trusts,
# [{"chainId": 31337, "registry": "0x…", "rpcUrl": "http://…", "name": "…"}]: --trusted FILE copies
# FILE there; otherwise an existing trusted.json is kept, and a new folder gets an empty list.
# --if-changed publishes only when a source the verifier is built from is newer than the last publish
# into DIR (DIR.published records it); scripts/start.sh and the tests publish this way.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

out="dist/verifier"
trusted=""
if_changed=false
while [ $# -gt 0 ]; do
  case "$1" in
    --trusted) trusted="$2"; shift 2 ;;
    --if-changed) if_changed=true; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) out="$1"; shift ;;
  esac
done
shown="$out"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ -z "$trusted" ] || trusted="$(cd "$(dirname "$trusted")" && pwd)/$(basename "$trusted")"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)."; exit 1; }

# One publish at a time (they share the project's obj folder): a second one waits for the first, and
# with --if-changed then finds the folder up to date.
mkdir -p "$root/src/Registry.Verifier/obj"
exec 9> "$root/src/Registry.Verifier/obj/publish.lock"
flock 9
stamp="$out.published"
if [ "$if_changed" = true ] && [ -f "$stamp" ] && [ -d "$out/_framework" ] && [ -z "$(find "$root/src/Registry.Verifier" \
     "$root/src/Registry.Core" "$root/src/Registry.Verification.Rpc" "$root/contexts" "$root/schemas" "$root/Directory.Build.props" \
     "$root/Directory.Packages.props" \( -name bin -o -name obj \) -prune -o -newer "$stamp" -print -quit)" ]; then
  echo "The browser verifier in $shown is up to date"
  [ -z "$trusted" ] || cp "$trusted" "$out/trusted.json"
  exit 0
fi
[ "$if_changed" = false ] || echo "Publishing the browser verifier to $shown"
rm -f "$stamp"
staging=$(mktemp -d)
trap 'rm -rf "$staging" "$stamp.new"' EXIT
# The stamp's time is the publish's start: a source changed while it runs makes the next one publish again.
mkdir -p "$out"
touch "$stamp.new"
dotnet publish "$root/src/Registry.Verifier/Registry.Verifier.csproj" -c Release -o "$staging" -nologo -v quiet -clp:ErrorsOnly

mkdir -p "$out"
kept=""
[ -f "$out/trusted.json" ] && kept="$(cat "$out/trusted.json")"
rm -rf "$out/_framework"
cp -R "$staging/wwwroot/." "$out/"
if [ -n "$trusted" ]; then
  cp "$trusted" "$out/trusted.json"
elif [ -n "$kept" ]; then
  printf '%s\n' "$kept" > "$out/trusted.json"
fi
mv "$stamp.new" "$stamp"
echo "Verifier written to $shown ($(du -sh "$out" | cut -f1)); it trusts: $(tr -d '\n' < "$out/trusted.json")"
