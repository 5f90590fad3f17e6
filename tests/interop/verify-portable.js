// Checks a portable credential with implementations that are not ours: the `canonicalize` package
// (RFC 8785), ethers' keccak256, @openzeppelin/merkle-tree, the contract through ethers, and the
// issuer's eddsa-rdfc-2022 signature with jsonld.js (RDFC-1.0, safe mode, offline contexts) and
// node:crypto's Ed25519.
// Usage: node tests/interop/verify-portable.js FILE RPC_URL
// Prints one JSON line {digest, signature, merkle, anchored, keyBound, issuerTrusted, notRevoked, transaction}
// and exits 0 when every part holds.
const fs = require("fs");
const crypto = require("crypto");
const canonicalize = require("canonicalize");
const jsonld = require("jsonld");
const { ethers } = require("ethers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const { documentLoader } = require("./offline-contexts");

/** The 32-byte Ed25519 key of a did:key (z + base58btc of 0xed01 ‖ key), as 0x-prefixed hex. */
function keyOfDidKey(did) {
  const multikey = did.replace(/^did:key:/, "");
  const bytes = ethers.getBytes(ethers.toBeHex(ethers.decodeBase58(multikey.slice(1)), 34));
  if (multikey[0] !== "z" || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error(`${did} is not an Ed25519 did:key`);
  return ethers.hexlify(bytes.slice(2));
}

/** W3C vc-di-eddsa eddsa-rdfc-2022: SHA-256 of the canonical proof configuration, then of the canonical document. */
async function signatureHolds(credential, signature, publicKeyHex) {
  const canonical = (document) => jsonld.canonize(document, { documentLoader, safe: true, algorithm: "RDFC-1.0", format: "application/n-quads" });
  const sha256 = (text) => crypto.createHash("sha256").update(text, "utf8").digest();
  const { proofValue, ...options } = signature;
  const hashData = Buffer.concat([
    sha256(await canonical({ ...options, "@context": credential["@context"] })),
    sha256(await canonical(credential)),
  ]);
  const key = crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(ethers.getBytes(publicKeyHex)).toString("base64url") }, format: "jwk" });
  const value = ethers.getBytes(ethers.toBeHex(ethers.decodeBase58(proofValue.slice(1)), 64));
  return proofValue[0] === "z" && crypto.verify(null, hashData, key, value);
}

async function main() {
  const [file, rpcUrl] = process.argv.slice(2);
  const portable = JSON.parse(fs.readFileSync(file, "utf8"));
  const { proof: proofs, ...credential } = portable;
  const proof = proofs.find((p) => p.type === "EthereumMerkleAnchor2026");
  const signature = proofs.find((p) => p.type === "DataIntegrityProof" && p.cryptosuite === "eddsa-rdfc-2022");

  const canonical = Buffer.from(canonicalize(credential), "utf8");
  const digest = ethers.keccak256(ethers.concat([proof.salt, canonical]));
  const merkle = StandardMerkleTree.verify(proof.merkleRoot, ["bytes32"], [proof.digest], proof.merkleProof);
  const issuerKey = keyOfDidKey(credential.issuer.id);
  const signed = signature.verificationMethod === `${credential.issuer.id}#${credential.issuer.id.replace(/^did:key:/, "")}`
    && await signatureHolds(credential, signature, issuerKey).catch(() => false);

  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const registry = new ethers.Contract(proof.anchor.registry, [
    "function verify(address issuer, bytes32 root, bytes32 digest, bytes32[] proof) view returns (bool included, uint64 anchoredAt, uint32 count, bool issuerTrusted, uint64 revokedAt, bytes32 signingKey)",
    "event Anchored(address indexed issuer, bytes32 indexed root, uint32 count)",
  ], provider);
  // The anchoring account: the anchor proof's did:pkh, before its #blockchainAccountId.
  const issuerAddress = proof.verificationMethod.split("#")[0].split(":").pop().toLowerCase();
  const onChain = await registry.verify(issuerAddress, proof.merkleRoot, proof.digest, proof.merkleProof);

  // The transaction the proof names must be the one that anchored this root for this issuer.
  const receipt = await provider.getTransactionReceipt(proof.anchor.transactionHash);
  const anchoredHere = (receipt?.logs ?? [])
    .filter((log) => log.address.toLowerCase() === proof.anchor.registry.toLowerCase())
    .map((log) => registry.interface.parseLog(log))
    .some((e) => e?.name === "Anchored" && e.args.issuer.toLowerCase() === issuerAddress && e.args.root === proof.merkleRoot);

  const result = {
    digest: digest === proof.digest,
    signature: signed,
    merkle,
    anchored: onChain.included && Number(onChain.anchoredAt) === Date.parse(proof.created) / 1000,
    // The key of the credential's did:key is the one the chain binds to the anchoring account.
    keyBound: onChain.signingKey.toLowerCase() === issuerKey.toLowerCase(),
    issuerTrusted: onChain.issuerTrusted,
    notRevoked: onChain.revokedAt === 0n,
    transaction: anchoredHere && receipt.blockNumber === proof.anchor.blockNumber,
  };
  console.log(JSON.stringify(result));
  process.exit(Object.values(result).every(Boolean) ? 0 : 1);
}

main().catch((e) => { console.error(e.message); process.exit(2); });
