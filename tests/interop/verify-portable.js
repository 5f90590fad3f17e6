// Checks a portable credential with implementations that are not ours: the `canonicalize` package
// (RFC 8785), ethers' keccak256, @openzeppelin/merkle-tree, and the contract through ethers.
// Usage: node tests/interop/verify-portable.js FILE RPC_URL
// Prints one JSON line {digest, merkle, anchored, issuerTrusted, notRevoked, transaction} and exits 0
// when every part holds.
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
    "function verify(address issuer, bytes32 root, bytes32 digest, bytes32[] proof) view returns (bool included, uint64 anchoredAt, uint32 count, bool issuerTrusted, uint64 revokedAt, bytes32 signingKey)",
    "event Anchored(address indexed issuer, bytes32 indexed root, uint32 count)",
  ], provider);
  const issuerAddress = credential.issuer.id.split(":").pop();
  const onChain = await registry.verify(issuerAddress, proof.merkleRoot, proof.digest, proof.merkleProof);

  // The transaction the proof names must be the one that anchored this root for this issuer.
  const receipt = await provider.getTransactionReceipt(proof.anchor.transactionHash);
  const anchoredHere = (receipt?.logs ?? [])
    .filter((log) => log.address.toLowerCase() === proof.anchor.registry.toLowerCase())
    .map((log) => registry.interface.parseLog(log))
    .some((e) => e?.name === "Anchored" && e.args.issuer.toLowerCase() === issuerAddress && e.args.root === proof.merkleRoot);

  const result = {
    digest: digest === proof.digest,
    merkle,
    anchored: onChain.included && Number(onChain.anchoredAt) === Date.parse(proof.created) / 1000,
    issuerTrusted: onChain.issuerTrusted,
    notRevoked: onChain.revokedAt === 0n,
    transaction: anchoredHere && receipt.blockNumber === proof.anchor.blockNumber,
  };
  console.log(JSON.stringify(result));
  process.exit(Object.values(result).every(Boolean) ? 0 : 1);
}

main().catch((e) => { console.error(e.message); process.exit(2); });
