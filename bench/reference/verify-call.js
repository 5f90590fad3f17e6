// The reference for POST /verify: what a verifier that asks the node once per request pays at least,
// the contract's verify(issuer, root, digest, proof) as one eth_call. Writes the JSON-RPC body for a
// portable credential, so wrk can send it straight to the node: one body a line for one credential a
// line (a file of a single credential is one line).
// Usage: node bench/reference/verify-call.js PORTABLES_JSONL OUT_BODIES
const fs = require("fs");
const path = require("path");
const { Interface } = require("ethers");

const [portablePath, outPath] = process.argv.slice(2);
// The contract as the project ships it (exported from the Hardhat build into the .NET chain adapter,
// and checked against the source by a contract test), so no compile step has to run first.
const shipped = path.join(__dirname, "..", "..", "src", "Registry.Chain", "Contract", "CredentialRegistry.json");
const { abi } = JSON.parse(fs.readFileSync(shipped, "utf8"));
const registry = new Interface(abi);
const bodies = fs.readFileSync(portablePath, "utf8").split("\n").filter(Boolean).map((line) => {
  // The anchor proof, first of the proof set.
  const [proof] = JSON.parse(line).proof;
  const issuer = proof.verificationMethod.split("#")[0].split(":").pop();
  const data = registry.encodeFunctionData("verify", [issuer, proof.merkleRoot, proof.digest, proof.merkleProof]);
  return JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: proof.anchor.registry, data }, "latest"] });
});
fs.writeFileSync(outPath, bodies.join("\n") + "\n");
