// The reference for POST /verify: what a verifier that asks the node once per request pays at least,
// the contract's verify(issuer, root, digest, proof) as one eth_call. Writes the JSON-RPC body for a
// portable credential, so wrk can send it straight to the node.
// Usage: node bench/reference/verify-call.js PORTABLE_JSON OUT_BODY
const fs = require("fs");
const path = require("path");
const { Interface } = require("ethers");

const [portablePath, outPath] = process.argv.slice(2);
// The anchor proof, first of the proof set.
const [proof] = JSON.parse(fs.readFileSync(portablePath, "utf8")).proof;
// The contract as the project ships it (exported from the Hardhat build into the .NET chain adapter,
// and checked against the source by a contract test), so no compile step has to run first.
const shipped = path.join(__dirname, "..", "..", "src", "Registry.Chain", "Contract", "CredentialRegistry.json");
const { abi } = JSON.parse(fs.readFileSync(shipped, "utf8"));
const issuer = proof.verificationMethod.split("#")[0].split(":").pop();
const data = new Interface(abi).encodeFunctionData("verify", [issuer, proof.merkleRoot, proof.digest, proof.merkleProof]);
const body = { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: proof.anchor.registry, data }, "latest"] };
fs.writeFileSync(outPath, JSON.stringify(body));
