#!/usr/bin/env bash
# Writes the browser verifier as a folder of static files that any web server can serve:
#   scripts/publish-verifier.sh [DIR] [--trusted FILE]
# DIR defaults to dist/verifier. trusted.json in DIR lists the registries the page trusts,
# [{"chainId": 31337, "registry": "0x…", "rpcUrl": "http://…", "name": "…"}]: --trusted FILE copies
# FILE there; otherwise an existing trusted.json is kept, and a new folder gets an empty list.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

out="dist/verifier"
trusted=""
while [ $# -gt 0 ]; do
  case "$1" in
    --trusted) trusted="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) out="$1"; shift ;;
  esac
done
shown="$out"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ -z "$trusted" ] || trusted="$(cd "$(dirname "$trusted")" && pwd)/$(basename "$trusted")"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)."; exit 1; }
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
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
echo "Verifier written to $shown ($(du -sh "$out" | cut -f1)); it trusts: $(tr -d '\n' < "$out/trusted.json")"
