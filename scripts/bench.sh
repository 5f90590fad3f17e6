#!/usr/bin/env bash
# Benchmarks, ours beside the reference in one run:
#   1. @openzeppelin/merkle-tree in Node.js (the reference) on 10,000 and 100,000 digests
#      (BENCH_REFERENCE_COUNTS overrides; 1,000,000 takes minutes there);
#   2. BenchmarkDotNet: Keccak-256 (ours, BouncyCastle, Nethereum), Merkle build and proofs at 1,000,000.
# Extra arguments go to BenchmarkDotNet (default: --filter '*').
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

echo "== Reference: @openzeppelin/merkle-tree $(node -p 'require("@openzeppelin/merkle-tree/package.json").version') on Node.js $(node --version)"
# shellcheck disable=SC2086
node bench/reference/oz-merkle-tree.js ${BENCH_REFERENCE_COUNTS:-10000 100000}

echo "== Ours: BenchmarkDotNet"
if [ $# -eq 0 ]; then set -- --filter '*'; fi
dotnet run -c Release --project bench/Registry.Bench -- "$@"
