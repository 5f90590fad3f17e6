// Checks a portable credential with implementations that are not ours: the `canonicalize` package
// (RFC 8785), ethers' keccak256, @openzeppelin/merkle-tree, and the contract through ethers.
// Usage: node tests/interop/verify-portable.js FILE RPC_URL
// Prints one JSON line {digest, merkle, anchored, issuer} and exits 0 when every part holds.
const fs = require("fs");
const canonicalize = require("canonicalize");
const { ethers } = require("ethers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

async function main() {
  const [file, rpcUrl] = process.argv.slice(2);
  const portable = JSON.parse(fs.readFileSync(file, "utf8"));
  const { proof, ...credential } = portable;

  const canonical = Buffer.from(canonicalize(credential), "utf8");
  const digest = ethers.keccak256(ethers.concat([proof.salt, canonical]));
  const merkle = StandardMerkleTree.verify(proof.merkleRoot, ["bytes32"], [proof.digest], proof.merkleProof);

  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const registry = new ethers.Contract(proof.anchor.registry, [
    "function anchorOf(bytes32 root) view returns (address issuer, uint64 anchoredAt, uint32 count)",
    "function verify(bytes32 digest, bytes32 root, bytes32[] proof) view returns (bool included, address issuer, uint64 anchoredAt, uint64 revokedAt)",
  ], provider);
  const onChain = await registry.verify(proof.digest, proof.merkleRoot, proof.merkleProof);
  const issuerAddress = credential.issuer.id.split(":").pop();

  const result = {
    digest: digest === proof.digest,
    merkle,
    anchored: onChain.included,
    issuer: onChain.issuer.toLowerCase() === issuerAddress,
  };
  console.log(JSON.stringify(result));
  process.exit(Object.values(result).every(Boolean) ? 0 : 1);
}

main().catch((e) => { console.error(e.message); process.exit(2); });
