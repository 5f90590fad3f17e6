// The contract tests' shared helpers and fixtures: digests, Merkle trees of batches, gas and event
// readers, and the deployments each test starts from (through loadFixture, so each is made once).
const { expect } = require("chai");
const hre = require("hardhat");
const { ethers } = hre;
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

const VERSION = 3;
const MAX_NAME_LENGTH = 256;
const MAX_REASON_LENGTH = 256;
const ANCHOR_GAS_LIMIT = 50_000n;
const REVOKE_GAS_LIMIT = 80_000n;
const UINT32_MAX = 4_294_967_295;
const GWEI = 1_000_000_000n;

/**
 * A distinct, deterministic 32-byte signing key for `label`. The contract stores the Ed25519 public key
 * without interpreting it (a contract cannot tell a point from 32 random bytes), so any non-zero value does.
 */
function keyOf(label) {
  return ethers.id(`Ed25519 public key of ${label}`);
}

const ALPHA_KEY = keyOf("Alpha University");
const MALLORY_KEY = keyOf("Mallory Training Ltd");
const OUTSIDER_KEY = keyOf("Outsider College");

/** verify's answer for a root the issuer never anchored: zeros, and the key bound to the issuer. */
function notAnchored(signingKey = ethers.ZeroHash) {
  return [false, 0n, 0n, false, 0n, signingKey];
}

// ---- helpers ---------------------------------------------------------------------------------

/** A distinct, deterministic credential digest for `label`. */
function digestOf(label) {
  return ethers.id(`credential ${label}`);
}

/** `count` distinct digests whose labels start with `prefix`. */
function digestsOf(prefix, count) {
  return Array.from({ length: count }, (_, i) => digestOf(`${prefix}/${i}`));
}

/** The batch tree exactly as the registry builds it: a StandardMerkleTree over ["bytes32"] leaves. */
function batchTree(digests) {
  return StandardMerkleTree.of(
    digests.map((digest) => [digest]),
    ["bytes32"],
  );
}

/** The digests of a multiproof, in the order its leaves must be passed. */
function multiProofDigests(multiProof) {
  return multiProof.leaves.map(([digest]) => digest);
}

/** A digest with its proof in `tree`: the middle arguments of revoke and revokeFor. */
function proofOf(tree, digest) {
  return [digest, tree.getProof([digest])];
}

/** A multiproof's digests, sibling hashes and flags: the middle arguments of revokeMany and revokeManyFor. */
function multiProofArgs(multiProof) {
  return [multiProofDigests(multiProof), multiProof.proof, multiProof.proofFlags];
}

/** Flips the lowest bit of a 32-byte hex value. */
function flipBit(hex) {
  const bytes = ethers.getBytes(hex);
  bytes[31] ^= 1;
  return ethers.hexlify(bytes);
}

/** A UTF-8 string of exactly `length` bytes; "é" takes two bytes, so lengths count bytes, not characters. */
function utf8OfLength(length) {
  return "é".repeat(Math.floor(length / 2)) + "x".repeat(length % 2);
}

/** The gas a transaction used, from its receipt. */
async function gasUsed(txPromise) {
  const receipt = await (await txPromise).wait();
  return receipt.gasUsed;
}

/** The receipt of a transaction that must succeed. */
async function mined(txPromise) {
  const receipt = await (await txPromise).wait();
  expect(receipt.status).to.equal(1);
  return receipt;
}

/** verify's answer as a plain array: [included, anchoredAt, count, issuerTrusted, revokedAt, signingKey]. */
async function verifyOf(registry, issuer, tree, digest, proof = tree.getProof([digest])) {
  return [...(await registry.verify(issuer.address ?? issuer, tree.root, digest, proof))];
}

/** The answer verify gives for an included credential (of alpha, unless another key is named). */
function included({ anchoredAt, count, trusted = true, revokedAt = 0, signingKey = ALPHA_KEY }) {
  return [true, BigInt(anchoredAt), BigInt(count), trusted, BigInt(revokedAt), signingKey];
}

/** revocationOf's answer as a plain array: [revokedAt, blockNumber]. */
async function revocationOf(registry, issuer, digest) {
  return [...(await registry.revocationOf(issuer.address ?? issuer, digest))];
}

/** The Revoked logs of `issuer` for `digest` in that one block, decoded: what a verifier reads for the reason. */
async function revokedLogsAt(registry, issuer, digest, blockNumber) {
  const logs = await ethers.provider.getLogs({
    address: await registry.getAddress(),
    fromBlock: Number(blockNumber),
    toBlock: Number(blockNumber),
    topics: [
      registry.interface.getEvent("Revoked").topicHash,
      ethers.zeroPadValue(issuer.address ?? issuer, 32),
      digest,
    ],
  });
  return logs.map((log) => registry.interface.parseLog(log).args);
}

/** The names of the events a transaction emitted, in order. */
async function eventNames(registry, txPromise) {
  const receipt = await (await txPromise).wait();
  return receipt.logs.map((log) => registry.interface.parseLog(log).name);
}

async function setAutomine(enabled) {
  await hre.network.provider.send("evm_setAutomine", [enabled]);
}

/** Runs `send` with automining off, so that every transaction it sends lands in one block, then mines it. */
async function inOneBlock(send) {
  await setAutomine(false);
  try {
    const sent = await send();
    await hre.network.provider.send("evm_mine", []);
    return sent;
  } finally {
    await setAutomine(true);
  }
}

/** Fixes the timestamp of the next block, so that an error that names "now" can be checked exactly. */
async function nextBlockAt(offset = 10) {
  const timestamp = (await time.latest()) + offset;
  await time.setNextBlockTimestamp(timestamp);
  return timestamp;
}

// ---- fixtures --------------------------------------------------------------------------------

async function deployFixture() {
  const [operator, alpha, mallory, outsider, nextOperator] = await ethers.getSigners();
  const registry = await ethers.deployContract("CredentialRegistry");
  return { registry, operator, alpha, mallory, outsider, nextOperator };
}

/** Two admitted issuers: alpha, an honest university, and mallory, an admitted account that attacks it. */
async function issuersFixture() {
  const fixture = await deployFixture();
  await fixture.registry.addIssuer(fixture.alpha.address, "Alpha University", ALPHA_KEY);
  await fixture.registry.addIssuer(fixture.mallory.address, "Mallory Training Ltd", MALLORY_KEY);
  return fixture;
}

async function anchoredBatchFixture() {
  const fixture = await issuersFixture();
  const digests = digestsOf("alpha batch", 7);
  const tree = batchTree(digests);
  await fixture.registry.connect(fixture.alpha).anchor(tree.root, digests.length);
  const anchoredAt = await time.latest();
  return { ...fixture, digests, tree, anchoredAt };
}

/** Alpha's batch is anchored, then alpha is removed plainly: trusted until the removal. */
async function removedIssuerFixture() {
  const fixture = await anchoredBatchFixture();
  const removedAt = await nextBlockAt(60);
  await fixture.registry.removeIssuer(fixture.alpha.address, removedAt);
  return { ...fixture, removedAt };
}

module.exports = {
  hre,
  ethers,
  loadFixture,
  time,
  StandardMerkleTree,
  VERSION,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
  ANCHOR_GAS_LIMIT,
  REVOKE_GAS_LIMIT,
  UINT32_MAX,
  GWEI,
  keyOf,
  ALPHA_KEY,
  MALLORY_KEY,
  OUTSIDER_KEY,
  notAnchored,
  digestOf,
  digestsOf,
  batchTree,
  multiProofDigests,
  proofOf,
  multiProofArgs,
  flipBit,
  utf8OfLength,
  gasUsed,
  mined,
  verifyOf,
  included,
  revocationOf,
  revokedLogsAt,
  eventNames,
  setAutomine,
  inOneBlock,
  nextBlockAt,
  deployFixture,
  issuersFixture,
  anchoredBatchFixture,
  removedIssuerFixture,
};
