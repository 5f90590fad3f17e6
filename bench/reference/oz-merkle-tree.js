// The reference for the Merkle benchmarks: @openzeppelin/merkle-tree 1.0.8 in Node.js, timed on the
// same kind of input (random bytes32 digests, leaf encoding ["bytes32"]).
// Usage: node bench/reference/oz-merkle-tree.js [--rows FILE] [count ...]   (default 10000 100000)
// With --rows, each figure is also appended to FILE as a JSON line for bench/table.js.
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const { randomBytes } = require("crypto");
const fs = require("fs");

const args = process.argv.slice(2);
const rowsFile = args[0] === "--rows" ? args.splice(0, 2)[1] : null;
const counts = args.map(Number);
const name = `@openzeppelin/merkle-tree ${require("@openzeppelin/merkle-tree/package.json").version}`;
const write = (measure, size, value, unit) =>
  rowsFile && fs.appendFileSync(rowsFile, JSON.stringify({ measure, size, value, unit, side: name }) + "\n");
const rows = [];
for (const n of counts.length ? counts : [10000, 100000]) {
  const values = Array.from({ length: n }, () => ["0x" + randomBytes(32).toString("hex")]);
  let start = process.hrtime.bigint();
  const tree = StandardMerkleTree.of(values, ["bytes32"]);
  const root = tree.root;
  const buildMs = Number(process.hrtime.bigint() - start) / 1e6;

  const samples = Math.min(n, 2000);
  start = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) tree.getProof((i * 7919) % n);
  const proofUs = Number(process.hrtime.bigint() - start) / 1e3 / samples;
  write("Merkle tree to its root", n, buildMs, "ms");
  write("one proof from the stored tree", n, proofUs, "µs");
  rows.push({ digests: n, "build to root (ms)": buildMs.toFixed(0), "one proof (µs)": proofUs.toFixed(1), root: root.slice(0, 10) + "…" });
}
console.table(rows);
