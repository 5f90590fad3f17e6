const { expect } = require("chai");
const hre = require("hardhat");
const { ethers } = hre;
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

const VERSION = 2;
const MAX_NAME_LENGTH = 256;
const MAX_REASON_LENGTH = 256;
const ANCHOR_GAS_LIMIT = 50_000n;
const REVOKE_GAS_LIMIT = 80_000n;
const UINT32_MAX = 4_294_967_295;
const GWEI = 1_000_000_000n;

/** verify's answer for a root the issuer never anchored. */
const NOT_ANCHORED = [false, 0n, 0n, false, 0n];

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

/** verify's answer as a plain array: [included, anchoredAt, count, issuerTrusted, revokedAt]. */
async function verifyOf(registry, issuer, tree, digest, proof = tree.getProof([digest])) {
  return [...(await registry.verify(issuer.address ?? issuer, tree.root, digest, proof))];
}

/** The answer verify gives for an included credential. */
function included({ anchoredAt, count, trusted = true, revokedAt = 0 }) {
  return [true, BigInt(anchoredAt), BigInt(count), trusted, BigInt(revokedAt)];
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
  await fixture.registry.addIssuer(fixture.alpha.address, "Alpha University");
  await fixture.registry.addIssuer(fixture.mallory.address, "Mallory Training Ltd");
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

// ---- tests -----------------------------------------------------------------------------------

describe("CredentialRegistry", function () {
  describe("deployment and operator", function () {
    it("makes the deployer the operator and speaks version 2", async function () {
      const { registry, operator } = await loadFixture(deployFixture);
      expect(await registry.VERSION()).to.equal(VERSION);
      expect(await registry.owner()).to.equal(operator.address);
      expect(await registry.pendingOwner()).to.equal(ethers.ZeroAddress);
      expect(await registry.MAX_NAME_LENGTH()).to.equal(MAX_NAME_LENGTH);
      expect(await registry.MAX_REASON_LENGTH()).to.equal(MAX_REASON_LENGTH);
    });

    // Every error and event below has a test of its own, except two of OpenZeppelin's that cannot happen
    // here: OwnableInvalidOwner (the deployer is never the zero address) and MerkleProofInvalidMultiproof
    // (revokeMany checks a multiproof's shape first and answers InvalidMultiProof).
    it("declares exactly the errors and events this suite knows", async function () {
      const { registry } = await loadFixture(deployFixture);
      const names = (type) =>
        registry.interface.fragments
          .filter((fragment) => fragment.type === type)
          .map((fragment) => fragment.name)
          .sort();
      expect(names("error")).to.deep.equal(
        [
          "AlreadyRevoked",
          "EmptyBatch",
          "EmptyName",
          "InvalidMultiProof",
          "InvalidTrustedUntil",
          "IssuerAlreadyAdded",
          "IssuerNotActive",
          "IssuerStillActive",
          "MerkleProofInvalidMultiproof",
          "NameTooLong",
          "NoDigests",
          "NotInBatch",
          "OperatorRequired",
          "OwnableInvalidOwner",
          "OwnableUnauthorizedAccount",
          "ReasonRequired",
          "ReasonTooLong",
          "RootAlreadyAnchored",
          "RootNotAnchored",
          "UnknownIssuer",
          "ZeroAddress",
          "ZeroRoot",
        ].sort(),
      );
      expect(names("event")).to.deep.equal(
        [
          "Anchored",
          "IssuerAdded",
          "IssuerRemoved",
          "OwnershipTransferStarted",
          "OwnershipTransferred",
          "Revoked",
        ].sort(),
      );
    });

    it("hands the operator role over in two steps", async function () {
      const { registry, operator, nextOperator, alpha, outsider } = await loadFixture(anchoredBatchFixture);

      await expect(registry.connect(outsider).transferOwnership(outsider.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      await expect(registry.transferOwnership(nextOperator.address))
        .to.emit(registry, "OwnershipTransferStarted")
        .withArgs(operator.address, nextOperator.address);
      expect(await registry.owner()).to.equal(operator.address);
      expect(await registry.pendingOwner()).to.equal(nextOperator.address);
      await expect(registry.connect(nextOperator).addIssuer(outsider.address, "Outsider College"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(nextOperator.address);

      await expect(registry.connect(alpha).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(alpha.address);
      await expect(registry.connect(nextOperator).acceptOwnership())
        .to.emit(registry, "OwnershipTransferred")
        .withArgs(operator.address, nextOperator.address);
      expect(await registry.owner()).to.equal(nextOperator.address);
      expect(await registry.pendingOwner()).to.equal(ethers.ZeroAddress);

      // The former operator has no power left; the new one has all of it.
      const now = await time.latest();
      await expect(registry.connect(operator).addIssuer(outsider.address, "Outsider College"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
      await expect(registry.connect(operator).removeIssuer(alpha.address, now))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
      await expect(registry.connect(nextOperator).addIssuer(outsider.address, "Outsider College"))
        .to.emit(registry, "IssuerAdded")
        .withArgs(outsider.address, "Outsider College");
      await expect(registry.connect(nextOperator).removeIssuer(alpha.address, now))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, now);
    });

    it("cancels a pending hand-over when the operator names nobody", async function () {
      const { registry, operator, nextOperator } = await loadFixture(deployFixture);
      await registry.transferOwnership(nextOperator.address);
      await expect(registry.transferOwnership(ethers.ZeroAddress))
        .to.emit(registry, "OwnershipTransferStarted")
        .withArgs(operator.address, ethers.ZeroAddress);
      await expect(registry.connect(nextOperator).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(nextOperator.address);
      expect(await registry.owner()).to.equal(operator.address);
    });

    it("cannot be renounced", async function () {
      const { registry, operator, outsider, nextOperator } = await loadFixture(deployFixture);
      await registry.transferOwnership(nextOperator.address);
      await expect(registry.renounceOwnership()).to.be.revertedWithCustomError(registry, "OperatorRequired");
      await expect(registry.connect(outsider).renounceOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect(await registry.owner()).to.equal(operator.address);
      expect(await registry.pendingOwner()).to.equal(nextOperator.address);
    });
  });

  describe("addIssuer", function () {
    it("admits an issuer and records its name and time", async function () {
      const { registry, alpha } = await loadFixture(deployFixture);

      await expect(registry.addIssuer(alpha.address, "Alpha University"))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, "Alpha University");

      expect([...(await registry.issuerOf(alpha.address))]).to.deep.equal([
        "Alpha University",
        BigInt(await time.latest()),
        0n,
        0n,
      ]);
    });

    it("is for the operator only", async function () {
      const { registry, alpha, outsider } = await loadFixture(issuersFixture);
      await expect(registry.connect(alpha).addIssuer(outsider.address, "Outsider College"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(alpha.address);
      await expect(registry.connect(outsider).addIssuer(outsider.address, "Outsider College"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect((await registry.issuerOf(outsider.address)).addedAt).to.equal(0);
    });

    it("refuses the zero address", async function () {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(ethers.ZeroAddress, "Nobody")).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
    });

    it("needs a name of 1 to 256 bytes", async function () {
      const { registry, alpha, mallory } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(alpha.address, "")).to.be.revertedWithCustomError(registry, "EmptyName");
      await expect(registry.addIssuer(alpha.address, utf8OfLength(MAX_NAME_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "NameTooLong")
        .withArgs(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH);

      const longest = utf8OfLength(MAX_NAME_LENGTH);
      await expect(registry.addIssuer(alpha.address, longest))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, longest);
      await registry.addIssuer(mallory.address, "M");
      expect((await registry.issuerOf(alpha.address)).name).to.equal(longest);
      expect((await registry.issuerOf(mallory.address)).name).to.equal("M");
    });

    it("refuses an account that is already an issuer", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      await expect(registry.addIssuer(alpha.address, "Alpha Again"))
        .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
        .withArgs(alpha.address);
      expect((await registry.issuerOf(alpha.address)).name).to.equal("Alpha University");
    });

    it("never admits a removed issuer again", async function () {
      const { registry, alpha } = await loadFixture(removedIssuerFixture);
      const before = [...(await registry.issuerOf(alpha.address))];
      await expect(registry.addIssuer(alpha.address, "Alpha University"))
        .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
        .withArgs(alpha.address);
      expect([...(await registry.issuerOf(alpha.address))]).to.deep.equal(before);
    });
  });

  describe("removeIssuer", function () {
    it("removes an issuer with the last moment it is trusted, and keeps its record", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const [, addedAt] = await registry.issuerOf(alpha.address);
      const now = await nextBlockAt(100);

      await expect(registry.removeIssuer(alpha.address, now))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, now);

      expect([...(await registry.issuerOf(alpha.address))]).to.deep.equal([
        "Alpha University",
        addedAt,
        BigInt(now),
        BigInt(now),
      ]);
    });

    it("is for the operator only", async function () {
      const { registry, alpha, mallory, outsider } = await loadFixture(issuersFixture);
      const now = await time.latest();
      for (const caller of [alpha, mallory, outsider]) {
        await expect(registry.connect(caller).removeIssuer(alpha.address, now))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
      expect((await registry.issuerOf(alpha.address)).removedAt).to.equal(0);
    });

    it("refuses an account that was never added", async function () {
      const { registry, outsider } = await loadFixture(issuersFixture);
      const now = await time.latest();
      await expect(registry.removeIssuer(outsider.address, now))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(outsider.address);
      await expect(registry.removeIssuer(ethers.ZeroAddress, now))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(ethers.ZeroAddress);
    });

    it("takes trustedUntil from the issuer's admission up to now, and nothing outside", async function () {
      const { registry, alpha, mallory } = await loadFixture(issuersFixture);
      const addedAt = Number((await registry.issuerOf(alpha.address)).addedAt);
      await time.increase(1_000);

      // Hardhat mines a reverted transaction too, so each refusal gets a block time of its own.
      const refusals = [
        (now) => addedAt - 1,
        (now) => 0,
        (now) => now + 1,
        (now) => now + 3_600,
        (now) => 2n ** 64n - 1n,
      ];
      for (const trustedUntilAt of refusals) {
        const now = await nextBlockAt();
        const trustedUntil = trustedUntilAt(now);
        await expect(registry.removeIssuer(alpha.address, trustedUntil))
          .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
          .withArgs(trustedUntil, addedAt, now);
      }
      expect((await registry.issuerOf(alpha.address)).removedAt).to.equal(0);

      // Both ends are included.
      const now = await nextBlockAt();
      await expect(registry.removeIssuer(alpha.address, addedAt))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, addedAt);
      expect([...(await registry.issuerOf(alpha.address))].slice(2)).to.deep.equal([BigInt(now), BigInt(addedAt)]);
      const later = await nextBlockAt(5);
      await expect(registry.removeIssuer(mallory.address, later))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(mallory.address, later);
      expect([...(await registry.issuerOf(mallory.address))].slice(2)).to.deep.equal([BigInt(later), BigInt(later)]);
    });

    it("lets a second removal only lower trustedUntil", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const addedAt = Number((await registry.issuerOf(alpha.address)).addedAt);
      const removedAt = await nextBlockAt(1_000);
      await registry.removeIssuer(alpha.address, removedAt);
      await time.increase(500);

      for (const raised of [removedAt, removedAt + 1, await time.latest()]) {
        await expect(registry.removeIssuer(alpha.address, raised))
          .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
          .withArgs(raised, addedAt, removedAt - 1);
      }

      await expect(registry.removeIssuer(alpha.address, removedAt - 600))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, removedAt - 600);
      expect([...(await registry.issuerOf(alpha.address))].slice(1)).to.deep.equal([
        BigInt(addedAt),
        BigInt(removedAt),
        BigInt(removedAt - 600),
      ]);

      await expect(registry.removeIssuer(alpha.address, addedAt - 1))
        .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
        .withArgs(addedAt - 1, addedAt, removedAt - 601);
      await registry.removeIssuer(alpha.address, addedAt);
      // Nothing is left below the admission.
      await expect(registry.removeIssuer(alpha.address, addedAt))
        .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
        .withArgs(addedAt, addedAt, addedAt - 1);
      expect([...(await registry.issuerOf(alpha.address))].slice(2)).to.deep.equal([
        BigInt(removedAt),
        BigInt(addedAt),
      ]);
    });

    it("does not affect the other issuers", async function () {
      const { registry, mallory } = await loadFixture(removedIssuerFixture);
      const root = digestOf("mallory root");
      await expect(registry.connect(mallory).anchor(root, 2))
        .to.emit(registry, "Anchored")
        .withArgs(mallory.address, root, 2);
      expect((await registry.issuerOf(mallory.address)).removedAt).to.equal(0);
    });
  });

  describe("issuerOf", function () {
    it("answers empty values for an unknown account", async function () {
      const { registry, outsider } = await loadFixture(issuersFixture);
      expect([...(await registry.issuerOf(outsider.address))]).to.deep.equal(["", 0n, 0n, 0n]);
      expect([...(await registry.issuerOf(ethers.ZeroAddress))]).to.deep.equal(["", 0n, 0n, 0n]);
    });
  });

  describe("anchor", function () {
    it("records the caller's anchor of a root: when, and the batch size", async function () {
      const { registry, alpha, mallory } = await loadFixture(issuersFixture);
      const root = digestOf("some root");

      await expect(registry.connect(alpha).anchor(root, 42))
        .to.emit(registry, "Anchored")
        .withArgs(alpha.address, root, 42);

      expect([...(await registry.anchorOf(alpha.address, root))]).to.deep.equal([BigInt(await time.latest()), 42n]);
      expect([...(await registry.anchorOf(mallory.address, root))]).to.deep.equal([0n, 0n]);
    });

    it("accepts the largest count", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const root = digestOf("largest batch");
      await expect(registry.connect(alpha).anchor(root, UINT32_MAX))
        .to.emit(registry, "Anchored")
        .withArgs(alpha.address, root, UINT32_MAX);
      expect((await registry.anchorOf(alpha.address, root)).count).to.equal(UINT32_MAX);
    });

    it("refuses the zero root and an empty batch", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      await expect(registry.connect(alpha).anchor(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
        registry,
        "ZeroRoot",
      );
      await expect(registry.connect(alpha).anchor(digestOf("root"), 0)).to.be.revertedWithCustomError(
        registry,
        "EmptyBatch",
      );
      expect((await registry.anchorOf(alpha.address, ethers.ZeroHash)).anchoredAt).to.equal(0);
      expect((await registry.anchorOf(alpha.address, digestOf("root"))).anchoredAt).to.equal(0);
    });

    it("is for active issuers only", async function () {
      const { registry, operator, outsider, alpha } = await loadFixture(removedIssuerFixture);
      const root = digestOf("root");
      for (const caller of [outsider, operator, alpha]) {
        await expect(registry.connect(caller).anchor(root, 1))
          .to.be.revertedWithCustomError(registry, "IssuerNotActive")
          .withArgs(caller.address);
        expect((await registry.anchorOf(caller.address, root)).anchoredAt).to.equal(0);
      }
    });

    it("anchors a root once per issuer", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const root = digestOf("root");
      await registry.connect(alpha).anchor(root, 3);
      const before = [...(await registry.anchorOf(alpha.address, root))];

      await expect(registry.connect(alpha).anchor(root, 5))
        .to.be.revertedWithCustomError(registry, "RootAlreadyAnchored")
        .withArgs(alpha.address, root);
      expect([...(await registry.anchorOf(alpha.address, root))]).to.deep.equal(before);
    });

    it("keeps each issuer's anchor of the same root apart", async function () {
      const { registry, alpha, mallory } = await loadFixture(issuersFixture);
      const root = digestOf("shared root");
      await registry.connect(alpha).anchor(root, 3);
      const alphaAnchor = [...(await registry.anchorOf(alpha.address, root))];
      await time.increase(30);

      await expect(registry.connect(mallory).anchor(root, 5))
        .to.emit(registry, "Anchored")
        .withArgs(mallory.address, root, 5);
      expect([...(await registry.anchorOf(mallory.address, root))]).to.deep.equal([BigInt(await time.latest()), 5n]);
      expect([...(await registry.anchorOf(alpha.address, root))]).to.deep.equal(alphaAnchor);
      await expect(registry.connect(mallory).anchor(root, 5))
        .to.be.revertedWithCustomError(registry, "RootAlreadyAnchored")
        .withArgs(mallory.address, root);
    });
  });

  describe("anchorOf", function () {
    it("answers zeros for a root the account did not anchor", async function () {
      const { registry, alpha, mallory, outsider, tree } = await loadFixture(anchoredBatchFixture);
      expect([...(await registry.anchorOf(alpha.address, digestOf("never anchored")))]).to.deep.equal([0n, 0n]);
      expect([...(await registry.anchorOf(mallory.address, tree.root))]).to.deep.equal([0n, 0n]);
      expect([...(await registry.anchorOf(outsider.address, tree.root))]).to.deep.equal([0n, 0n]);
      expect([...(await registry.anchorOf(ethers.ZeroAddress, tree.root))]).to.deep.equal([0n, 0n]);
    });
  });

  describe("revoke", function () {
    it("revokes a credential of the caller's batch, recorded under the caller", async function () {
      const { registry, alpha, mallory, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      const digest = digests[3];

      const tx = registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digest), "issued in error");
      await expect(tx).to.emit(registry, "Revoked").withArgs(alpha.address, digest, tree.root, "issued in error");
      const receipt = await (await tx).wait();

      const revokedAt = await time.latest();
      expect(await revocationOf(registry, alpha, digest)).to.deep.equal([
        BigInt(revokedAt),
        BigInt(receipt.blockNumber),
      ]);
      expect(await revocationOf(registry, mallory, digest)).to.deep.equal([0n, 0n]);
      expect(await verifyOf(registry, alpha, tree, digest)).to.deep.equal(
        included({ anchoredAt, count: 7, revokedAt }),
      );
    });

    it("leaves the other credentials of the batch valid", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      await registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[0]), "withdrawn");

      for (const digest of digests.slice(1)) {
        expect(await revocationOf(registry, alpha, digest)).to.deep.equal([0n, 0n]);
        expect(await verifyOf(registry, alpha, tree, digest)).to.deep.equal(included({ anchoredAt, count: 7 }));
      }
    });

    it("needs a reason of 1 to 256 bytes", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const revoke = (reason) => registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[0]), reason);

      await expect(revoke("")).to.be.revertedWithCustomError(registry, "ReasonRequired");
      await expect(revoke(utf8OfLength(MAX_REASON_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "ReasonTooLong")
        .withArgs(MAX_REASON_LENGTH + 1, MAX_REASON_LENGTH);
      expect((await registry.revocationOf(alpha.address, digests[0])).revokedAt).to.equal(0);

      const longest = utf8OfLength(MAX_REASON_LENGTH);
      await expect(revoke(longest))
        .to.emit(registry, "Revoked")
        .withArgs(alpha.address, digests[0], tree.root, longest);
    });

    it("refuses a root the caller did not anchor", async function () {
      const { registry, alpha, mallory } = await loadFixture(anchoredBatchFixture);
      const other = batchTree(digestsOf("never anchored", 4));
      const [digest] = other.at(0);
      await expect(registry.connect(alpha).revoke(other.root, digest, other.getProof(0), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(alpha.address, other.root);

      await registry.connect(mallory).anchor(other.root, 4);
      await expect(registry.connect(alpha).revoke(other.root, digest, other.getProof(0), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(alpha.address, other.root);
      expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(0);
    });

    it("is for active issuers only", async function () {
      const { registry, operator, outsider, alpha, tree, digests } = await loadFixture(removedIssuerFixture);
      const proof = tree.getProof([digests[0]]);
      for (const caller of [outsider, operator, alpha]) {
        await expect(registry.connect(caller).revoke(tree.root, digests[0], proof, "withdrawn"))
          .to.be.revertedWithCustomError(registry, "IssuerNotActive")
          .withArgs(caller.address);
      }
      expect(await revocationOf(registry, alpha, digests[0])).to.deep.equal([0n, 0n]);
    });

    it("refuses a digest that is not in the batch", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const stranger = digestOf("not in the batch");
      await expect(registry.connect(alpha).revoke(tree.root, stranger, tree.getProof([digests[0]]), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NotInBatch")
        .withArgs(stranger, tree.root);

      const tampered = tree.getProof([digests[0]]);
      tampered[0] = flipBit(tampered[0]);
      await expect(registry.connect(alpha).revoke(tree.root, digests[0], tampered, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NotInBatch")
        .withArgs(digests[0], tree.root);
      expect((await registry.revocationOf(alpha.address, digests[0])).revokedAt).to.equal(0);
      expect((await registry.revocationOf(alpha.address, stranger)).revokedAt).to.equal(0);
    });

    it("refuses a second revocation", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proof = tree.getProof([digests[2]]);
      await registry.connect(alpha).revoke(tree.root, digests[2], proof, "withdrawn");
      const first = await revocationOf(registry, alpha, digests[2]);

      await expect(registry.connect(alpha).revoke(tree.root, digests[2], proof, "again"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(alpha.address, digests[2], first[0]);
      expect(await revocationOf(registry, alpha, digests[2])).to.deep.equal(first);
    });

    it("records a digest once per issuer, whichever of its batches holds it", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const again = batchTree([digests[0], ...digestsOf("second alpha batch", 2)]);
      await registry.connect(alpha).anchor(again.root, 3);
      const anchoredAgainAt = await time.latest();
      await registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[0]), "withdrawn");
      const [revokedAt] = await revocationOf(registry, alpha, digests[0]);

      await expect(registry.connect(alpha).revoke(again.root, ...proofOf(again, digests[0]), "again"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(alpha.address, digests[0], revokedAt);
      expect(await verifyOf(registry, alpha, again, digests[0])).to.deep.equal(
        included({ anchoredAt: anchoredAgainAt, count: 3, revokedAt }),
      );
    });
  });

  describe("revokeMany", function () {
    it("revokes several credentials of one batch with one multiproof", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[1]], [digests[4]], [digests[6]]]);
      const chosen = multiProofDigests(multiProof);
      expect(StandardMerkleTree.verifyMultiProof(tree.root, ["bytes32"], multiProof)).to.equal(true);

      const tx = registry
        .connect(alpha)
        .revokeMany(tree.root, chosen, multiProof.proof, multiProof.proofFlags, "course withdrawn");
      for (const digest of chosen) {
        await expect(tx).to.emit(registry, "Revoked").withArgs(alpha.address, digest, tree.root, "course withdrawn");
      }
      const receipt = await (await tx).wait();
      expect(receipt.logs).to.have.length(chosen.length);

      const revokedAt = BigInt(await time.latest());
      for (const digest of digests) {
        const expected = chosen.includes(digest) ? [revokedAt, BigInt(receipt.blockNumber)] : [0n, 0n];
        expect(await revocationOf(registry, alpha, digest)).to.deep.equal(expected);
        expect((await verifyOf(registry, alpha, tree, digest))[4]).to.equal(expected[0]);
      }
    });

    it("revokes every credential of a batch, and a single one", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const all = tree.getMultiProof(digests.map((digest) => [digest]));
      expect(all.proof).to.have.length(0);
      await registry.connect(alpha).revokeMany(tree.root, ...multiProofArgs(all), "withdrawn");
      for (const digest of digests) {
        expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(await time.latest());
      }

      const single = batchTree(digestsOf("single", 5));
      await registry.connect(alpha).anchor(single.root, 5);
      const one = single.getMultiProof([2]);
      const [digest] = single.at(2);
      await expect(registry.connect(alpha).revokeMany(single.root, ...multiProofArgs(one), "withdrawn"))
        .to.emit(registry, "Revoked")
        .withArgs(alpha.address, digest, single.root, "withdrawn");
      expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(await time.latest());
    });

    it("revokes the only credential of a batch of one", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const lone = batchTree([digestOf("lone")]);
      await registry.connect(alpha).anchor(lone.root, 1);
      const multiProof = lone.getMultiProof([0]);
      expect([multiProof.proof, multiProof.proofFlags]).to.deep.equal([[], []]);
      await expect(registry.connect(alpha).revokeMany(lone.root, [digestOf("lone")], [], [], "withdrawn"))
        .to.emit(registry, "Revoked")
        .withArgs(alpha.address, digestOf("lone"), lone.root, "withdrawn");
    });

    it("refuses an empty list", async function () {
      const { registry, alpha, tree } = await loadFixture(anchoredBatchFixture);
      await expect(registry.connect(alpha).revokeMany(tree.root, [], [tree.root], [], "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NoDigests");
    });

    it("applies the rules of revoke", async function () {
      const { registry, alpha, mallory, outsider, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[5]]]);
      const chosen = multiProofDigests(multiProof);
      const revokeMany = (caller, root, reason) =>
        registry.connect(caller).revokeMany(root, chosen, multiProof.proof, multiProof.proofFlags, reason);

      await expect(revokeMany(alpha, tree.root, "")).to.be.revertedWithCustomError(registry, "ReasonRequired");
      await expect(revokeMany(alpha, tree.root, utf8OfLength(MAX_REASON_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "ReasonTooLong")
        .withArgs(MAX_REASON_LENGTH + 1, MAX_REASON_LENGTH);
      const unknownRoot = digestOf("unknown root");
      await expect(revokeMany(alpha, unknownRoot, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(alpha.address, unknownRoot);
      await expect(revokeMany(mallory, tree.root, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(mallory.address, tree.root);
      await expect(revokeMany(outsider, tree.root, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(outsider.address);

      await registry.removeIssuer(alpha.address, await time.latest());
      await expect(revokeMany(alpha, tree.root, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(alpha.address);
      for (const digest of digests) {
        expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(0);
      }
    });

    it("refuses the whole list when one credential is already revoked", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      await registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[5]), "withdrawn");
      const revokedAt = await time.latest();

      const multiProof = tree.getMultiProof([[digests[0]], [digests[3]], [digests[5]]]);
      await expect(registry.connect(alpha).revokeMany(tree.root, ...multiProofArgs(multiProof), "again"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(alpha.address, digests[5], revokedAt);
      expect((await registry.revocationOf(alpha.address, digests[0])).revokedAt).to.equal(0);
      expect((await registry.revocationOf(alpha.address, digests[3])).revokedAt).to.equal(0);
    });

    it("refuses a digest listed twice, and revokes nothing", async function () {
      // A batch may hold the same digest twice; a multiproof of both copies lists it twice.
      const { registry, alpha } = await loadFixture(issuersFixture);
      const [twice, once] = digestsOf("doubled", 2);
      const tree = batchTree([twice, once, twice]);
      await registry.connect(alpha).anchor(tree.root, 3);
      const multiProof = tree.getMultiProof([0, 2]);
      expect(multiProofDigests(multiProof)).to.deep.equal([twice, twice]);
      expect(StandardMerkleTree.verifyMultiProof(tree.root, ["bytes32"], multiProof)).to.equal(true);

      const now = await nextBlockAt();
      await expect(registry.connect(alpha).revokeMany(tree.root, ...multiProofArgs(multiProof), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(alpha.address, twice, now);
      expect(await revocationOf(registry, alpha, twice)).to.deep.equal([0n, 0n]);
    });

    it("refuses a tampered multiproof, as @openzeppelin/merkle-tree does", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[1]], [digests[2]], [digests[6]]]);
      const chosen = multiProofDigests(multiProof);
      const { proof, proofFlags } = multiProof;
      const attempt = async (leaves, siblings, flags) => {
        // The library agrees that these prove nothing (it rejects a malformed one outright).
        let acceptedByLibrary;
        try {
          acceptedByLibrary = StandardMerkleTree.verifyMultiProof(tree.root, ["bytes32"], {
            leaves: leaves.map((digest) => [digest]),
            proof: siblings,
            proofFlags: flags,
          });
        } catch {
          acceptedByLibrary = false;
        }
        expect(acceptedByLibrary).to.equal(false);
        await expect(registry.connect(alpha).revokeMany(tree.root, leaves, siblings, flags, "withdrawn"))
          .to.be.revertedWithCustomError(registry, "InvalidMultiProof")
          .withArgs(tree.root);
      };

      expect(proof.length).to.be.greaterThan(0);
      await attempt(chosen, [flipBit(proof[0]), ...proof.slice(1)], proofFlags);
      await attempt([...chosen].reverse(), proof, proofFlags);
      await attempt([digestOf("stranger"), ...chosen.slice(1)], proof, proofFlags);
      await attempt([flipBit(chosen[0]), ...chosen.slice(1)], proof, proofFlags);
      await attempt(
        chosen,
        proof,
        proofFlags.map((flag) => !flag),
      );
      const swapped = [...proofFlags];
      const [merge, sibling] = [swapped.indexOf(true), swapped.indexOf(false)];
      [swapped[merge], swapped[sibling]] = [swapped[sibling], swapped[merge]];
      await attempt(chosen, proof, swapped);
      // Leaf hashes in place of digests: the double hash keeps a leaf from passing for a digest.
      await attempt(
        chosen.map((digest) => tree.leafHash([digest])),
        proof,
        proofFlags,
      );

      for (const digest of digests) {
        expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(0);
      }
    });

    describe("malformed multiproofs", function () {
      async function malformedFixture() {
        const fixture = await anchoredBatchFixture();
        const { tree, digests } = fixture;
        const multiProof = tree.getMultiProof([[digests[1]], [digests[2]], [digests[6]]]);
        return { ...fixture, multiProof, chosen: multiProofDigests(multiProof) };
      }

      const refused = (registry, alpha, root, leaves, proof, flags) =>
        expect(registry.connect(alpha).revokeMany.staticCall(root, leaves, proof, flags, "withdrawn"))
          .to.be.revertedWithCustomError(registry, "InvalidMultiProof")
          .withArgs(root);

      it("refuses each wrong shape with InvalidMultiProof, not a library error or a panic", async function () {
        const { registry, alpha, tree, digests, multiProof, chosen } = await loadFixture(malformedFixture);
        const { proof, proofFlags } = multiProof;
        expect(chosen.length).to.equal(3); // so a right multiproof has two merges and proof.length siblings
        expect(proof.length).to.be.at.least(2);
        const p = proof.length;
        // `merges` true flags, then `siblings` false ones.
        const flagsOf = (merges, siblings) => [...Array(merges).fill(true), ...Array(siblings).fill(false)];
        const shapes = [
          // Lengths that do not add up: leaves + proof length must be flags + 1.
          [chosen.slice(1), proof, proofFlags],
          [[...chosen, chosen[0]], proof, [...proofFlags, true]],
          [chosen, proof.slice(1), proofFlags],
          [chosen, [...proof, proof[0]], proofFlags],
          [chosen, proof, proofFlags.slice(1)],
          [chosen, proof, [...proofFlags, false]],
          [chosen, [], []],
          [chosen, proof, []],
          // Lengths that add up, but with too few merges: the proof would be read past its end ...
          [chosen, [...proof, proof[0]], flagsOf(1, p + 2)],
          [chosen, proof, flagsOf(0, p + 2)],
          // ... or too many: the queue would be read before it is filled.
          [chosen, proof.slice(1), flagsOf(3, p - 2)],
          [chosen.slice(0, 1), proof.slice(0, 1), flagsOf(1, 0)],
          // Well-formed but wrong: a lone leaf is not the root, nor merges of leaves alone.
          [[digests[0]], [], []],
          [chosen, [], [true, true]],
        ];
        for (const [leaves, siblings, flags] of shapes) {
          await refused(registry, alpha, tree.root, leaves, siblings, flags);
        }
      });

      it("refuses a sweep of arbitrary shapes and contents with InvalidMultiProof", async function () {
        const { registry, alpha, tree, digests, multiProof } = await loadFixture(malformedFixture);
        const nodes = [...multiProof.proof, ...digests.map((digest) => tree.leafHash([digest])), tree.root];
        let tried = 0;
        for (let i = 0; tried < 64; i++) {
          // Deterministic choices, drawn from the bytes of a hash.
          const bytes = ethers.getBytes(ethers.id(`malformed multiproof ${i}`));
          const leaves = Array.from({ length: 1 + (bytes[0] % 4) }, (_, j) => digests[bytes[4 + j] % digests.length]);
          const proof = Array.from({ length: bytes[1] % 6 }, (_, j) => nodes[bytes[8 + j] % nodes.length]);
          const flags = Array.from({ length: bytes[2] % 9 }, (_, j) => (bytes[16 + j] & 1) === 1);
          let acceptedByLibrary = false;
          try {
            acceptedByLibrary = StandardMerkleTree.verifyMultiProof(tree.root, ["bytes32"], {
              leaves: leaves.map((digest) => [digest]),
              proof,
              proofFlags: flags,
            });
          } catch {
            // The library refuses shapes it cannot process; the contract must refuse them too.
          }
          if (acceptedByLibrary) continue; // a valid multiproof by chance: not a malformed one
          await refused(registry, alpha, tree.root, leaves, proof, flags);
          tried++;
        }
        expect(tried).to.equal(64);
      });
    });
  });

  describe("revocationOf", function () {
    it("answers zeros for a digest that was never revoked", async function () {
      const { registry, alpha, digests } = await loadFixture(anchoredBatchFixture);
      expect(await revocationOf(registry, alpha, digests[0])).to.deep.equal([0n, 0n]);
      expect(await revocationOf(registry, alpha, digestOf("unknown"))).to.deep.equal([0n, 0n]);
      expect(await revocationOf(registry, ethers.ZeroAddress, digests[0])).to.deep.equal([0n, 0n]);
    });

    it("names the block whose Revoked log carries the reason", async function () {
      const { registry, alpha, mallory, tree, digests } = await loadFixture(anchoredBatchFixture);
      // Mallory puts alpha's digest in a root of her own, so that both revoke it in one block.
      const own = batchTree([digests[0], digestOf("mallory own")]);
      await registry.connect(mallory).anchor(own.root, 2);

      const first = await mined(registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[1]), "in error"));
      await hre.network.provider.send("hardhat_mine", ["0x10"]);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[2]]]);
      await inOneBlock(async () => {
        await registry.connect(mallory).revoke(own.root, ...proofOf(own, digests[0]), "mallory says so", {
          gasLimit: 200_000,
        });
        await registry.connect(alpha).revokeMany(tree.root, ...multiProofArgs(multiProof), "course closed", {
          gasLimit: 300_000,
        });
      });
      const secondBlock = await ethers.provider.getBlock("latest");
      expect(secondBlock.transactions).to.have.length(2);

      const expected = [
        [digests[1], first.blockNumber, "in error"],
        [digests[0], secondBlock.number, "course closed"],
        [digests[2], secondBlock.number, "course closed"],
      ];
      for (const [digest, blockNumber, reason] of expected) {
        const [revokedAt, recordedBlock] = await revocationOf(registry, alpha, digest);
        expect(recordedBlock).to.equal(blockNumber);
        expect(revokedAt).to.equal((await ethers.provider.getBlock(Number(recordedBlock))).timestamp);
        const logs = await revokedLogsAt(registry, alpha, digest, recordedBlock);
        expect(logs.map((log) => [log.issuer, log.digest, log.root, log.reason])).to.deep.equal([
          [alpha.address, digest, tree.root, reason],
        ]);
      }
      // Mallory's revocation of the same digest in the same block is hers alone.
      const [, malloryBlock] = await revocationOf(registry, mallory, digests[0]);
      expect(malloryBlock).to.equal(secondBlock.number);
      const malloryLogs = await revokedLogsAt(registry, mallory, digests[0], malloryBlock);
      expect(malloryLogs.map((log) => log.reason)).to.deep.equal(["mallory says so"]);
    });
  });

  describe("verify", function () {
    for (const size of [1, 2, 3, 7, 100]) {
      it(`includes every credential of an anchored StandardMerkleTree of ${size}`, async function () {
        const { registry, alpha } = await loadFixture(issuersFixture);
        const digests = digestsOf(`tree of ${size}`, size);
        const tree = batchTree(digests);
        await registry.connect(alpha).anchor(tree.root, size);
        const anchoredAt = await time.latest();

        for (const [i, [digest]] of tree.entries()) {
          const proof = tree.getProof(i);
          expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [digest], proof)).to.equal(true);
          expect(await verifyOf(registry, alpha, tree, digest, proof)).to.deep.equal(
            included({ anchoredAt, count: size }),
          );
        }

        // The tree's own leaf hash is the one the contract recomputes.
        const [first] = tree.at(0);
        const leaf = ethers.keccak256(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32"], [first])));
        expect(tree.leafHash([first])).to.equal(leaf);
      });
    }

    it("excludes a wrong digest and a tampered proof, as @openzeppelin/merkle-tree does", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      const digest = digests[2];
      const proof = tree.getProof([digest]);
      const notIncluded = [false, BigInt(anchoredAt), 7n, true, 0n];
      const check = async (d, p) => {
        expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [d], p)).to.equal(false);
        expect(await verifyOf(registry, alpha, tree, d, p)).to.deep.equal(notIncluded);
      };

      await check(digestOf("stranger"), proof);
      await check(flipBit(digest), proof);
      await check(digests[3], proof);
      for (let i = 0; i < proof.length; i++) {
        const tampered = [...proof];
        tampered[i] = flipBit(tampered[i]);
        await check(digest, tampered);
      }
      await check(digest, proof.slice(0, -1));
      await check(digest, [...proof, proof[0]]);
      await check(digest, []);
      // Neither the digest's leaf nor its parent node passes for a digest of the batch.
      const leaf = tree.leafHash([digest]);
      const parent = ethers.keccak256(ethers.concat([leaf, proof[0]].sort()));
      await check(leaf, proof);
      await check(parent, proof.slice(1));
    });

    it("reports a revocation only for an included digest", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proof = tree.getProof([digests[1]]);
      await registry.connect(alpha).revoke(tree.root, digests[1], proof, "withdrawn");
      const revokedAt = BigInt(await time.latest());

      expect((await registry.verify(alpha.address, tree.root, digests[1], proof)).revokedAt).to.equal(revokedAt);
      const wrongProof = tree.getProof([digests[0]]);
      const [isIncluded, , , , revokedWithWrongProof] = await verifyOf(registry, alpha, tree, digests[1], wrongProof);
      expect([isIncluded, revokedWithWrongProof]).to.deep.equal([false, 0n]);
    });

    it("answers zeros for a root the issuer did not anchor, even with a valid proof", async function () {
      const { registry, alpha, mallory, outsider, tree, digests } = await loadFixture(anchoredBatchFixture);
      const other = batchTree(digestsOf("never anchored", 3));
      expect(await verifyOf(registry, alpha, other, other.at(0)[0], other.getProof(0))).to.deep.equal(NOT_ANCHORED);
      for (const issuer of [mallory, outsider, ethers.ZeroAddress]) {
        expect(await verifyOf(registry, issuer, tree, digests[0])).to.deep.equal(NOT_ANCHORED);
      }
    });

    it("trusts an anchor from the issuer's admission until its trustedUntil", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      await time.increase(100);
      await registry.removeIssuer(alpha.address, anchoredAt);
      expect(await verifyOf(registry, alpha, tree, digests[0])).to.deep.equal(included({ anchoredAt, count: 7 }));
      await registry.removeIssuer(alpha.address, anchoredAt - 1);
      expect(await verifyOf(registry, alpha, tree, digests[0])).to.deep.equal(
        included({ anchoredAt, count: 7, trusted: false }),
      );
    });
  });

  describe("revokeFor and revokeManyFor", function () {
    it("revoke one credential for a removed issuer, recorded under that issuer", async function () {
      const { registry, operator, alpha, tree, digests, anchoredAt } = await loadFixture(removedIssuerFixture);
      const digest = digests[4];

      const tx = registry.revokeFor(alpha.address, tree.root, ...proofOf(tree, digest), "institution closed");
      await expect(tx).to.emit(registry, "Revoked").withArgs(alpha.address, digest, tree.root, "institution closed");
      const receipt = await mined(tx);

      const revokedAt = await time.latest();
      expect(await revocationOf(registry, alpha, digest)).to.deep.equal([
        BigInt(revokedAt),
        BigInt(receipt.blockNumber),
      ]);
      expect(await revocationOf(registry, operator, digest)).to.deep.equal([0n, 0n]);
      expect(await verifyOf(registry, alpha, tree, digest)).to.deep.equal(
        included({ anchoredAt, count: 7, revokedAt }),
      );
      const logs = await revokedLogsAt(registry, alpha, digest, receipt.blockNumber);
      expect(logs.map((log) => log.reason)).to.deep.equal(["institution closed"]);
    });

    it("revoke several credentials for a removed issuer with one multiproof", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(removedIssuerFixture);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[3]], [digests[5]]]);
      const chosen = multiProofDigests(multiProof);

      const tx = registry.revokeManyFor(alpha.address, tree.root, ...multiProofArgs(multiProof), "closed");
      for (const digest of chosen) {
        await expect(tx).to.emit(registry, "Revoked").withArgs(alpha.address, digest, tree.root, "closed");
      }
      const receipt = await mined(tx);
      expect(receipt.logs).to.have.length(3);
      const record = [BigInt(await time.latest()), BigInt(receipt.blockNumber)];
      for (const digest of digests) {
        const expected = chosen.includes(digest) ? record : [0n, 0n];
        expect(await revocationOf(registry, alpha, digest)).to.deep.equal(expected);
      }
    });

    it("are for the operator only", async function () {
      const { registry, alpha, mallory, outsider, tree, digests } = await loadFixture(removedIssuerFixture);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[1]]]);
      for (const caller of [alpha, mallory, outsider]) {
        const asCaller = registry.connect(caller);
        await expect(asCaller.revokeFor(alpha.address, tree.root, ...proofOf(tree, digests[0]), "closed"))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
        await expect(asCaller.revokeManyFor(alpha.address, tree.root, ...multiProofArgs(multiProof), "closed"))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
      expect((await registry.revocationOf(alpha.address, digests[0])).revokedAt).to.equal(0);
      expect((await registry.revocationOf(alpha.address, digests[1])).revokedAt).to.equal(0);
    });

    it("refuse an issuer that is still active, or was never added", async function () {
      const { registry, alpha, outsider, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proof = tree.getProof([digests[0]]);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[1]]]);

      await expect(registry.revokeFor(alpha.address, tree.root, digests[0], proof, "closed"))
        .to.be.revertedWithCustomError(registry, "IssuerStillActive")
        .withArgs(alpha.address);
      await expect(registry.revokeManyFor(alpha.address, tree.root, ...multiProofArgs(multiProof), "closed"))
        .to.be.revertedWithCustomError(registry, "IssuerStillActive")
        .withArgs(alpha.address);
      for (const account of [outsider.address, ethers.ZeroAddress]) {
        await expect(registry.revokeFor(account, tree.root, digests[0], proof, "closed"))
          .to.be.revertedWithCustomError(registry, "UnknownIssuer")
          .withArgs(account);
        await expect(registry.revokeManyFor(account, tree.root, ...multiProofArgs(multiProof), "closed"))
          .to.be.revertedWithCustomError(registry, "UnknownIssuer")
          .withArgs(account);
      }
      expect((await registry.revocationOf(alpha.address, digests[0])).revokedAt).to.equal(0);
    });

    it("apply the rules of revoke and revokeMany", async function () {
      const { registry, alpha, mallory, tree, digests } = await loadFixture(anchoredBatchFixture);
      await registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[6]), "before removal");
      const [earlier] = await revocationOf(registry, alpha, digests[6]);
      const malloryTree = batchTree(digestsOf("mallory batch", 2));
      await registry.connect(mallory).anchor(malloryTree.root, 2);
      await registry.removeIssuer(alpha.address, await time.latest());

      const proof = tree.getProof([digests[0]]);
      await expect(registry.revokeFor(alpha.address, tree.root, digests[0], proof, "")).to.be.revertedWithCustomError(
        registry,
        "ReasonRequired",
      );
      await expect(registry.revokeFor(alpha.address, tree.root, digests[0], proof, utf8OfLength(MAX_REASON_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "ReasonTooLong")
        .withArgs(MAX_REASON_LENGTH + 1, MAX_REASON_LENGTH);
      // Only roots the removed issuer itself anchored.
      const [malloryDigest] = malloryTree.at(0);
      await expect(registry.revokeFor(alpha.address, malloryTree.root, ...proofOf(malloryTree, malloryDigest), "x"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(alpha.address, malloryTree.root);
      const stranger = digestOf("stranger");
      await expect(registry.revokeFor(alpha.address, tree.root, stranger, proof, "closed"))
        .to.be.revertedWithCustomError(registry, "NotInBatch")
        .withArgs(stranger, tree.root);
      await expect(registry.revokeFor(alpha.address, tree.root, ...proofOf(tree, digests[6]), "closed"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(alpha.address, digests[6], earlier);

      await expect(registry.revokeManyFor(alpha.address, tree.root, [], [], [], "closed"))
        .to.be.revertedWithCustomError(registry, "NoDigests");
      const multiProof = tree.getMultiProof([[digests[0]], [digests[1]]]);
      const chosen = multiProofDigests(multiProof);
      const { proof: siblings, proofFlags } = multiProof;
      await expect(registry.revokeManyFor(alpha.address, tree.root, [...chosen].reverse(), siblings, proofFlags, "x"))
        .to.be.revertedWithCustomError(registry, "InvalidMultiProof")
        .withArgs(tree.root);
      await expect(registry.revokeManyFor(alpha.address, tree.root, chosen, siblings, [], "closed"))
        .to.be.revertedWithCustomError(registry, "InvalidMultiProof")
        .withArgs(tree.root);
      await expect(registry.revokeManyFor(alpha.address, tree.root, chosen, siblings, proofFlags, ""))
        .to.be.revertedWithCustomError(registry, "ReasonRequired");

      for (const digest of digests.slice(0, 6)) {
        expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(0);
      }
    });
  });

  describe("attacks by another admitted account", function () {
    it("a stray revocation: mallory revokes the victim's digest in a root of her own; the victim's record is untouched", async function () {
      const { registry, alpha: victim, mallory, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      const target = digests[2];

      // Mallory learned the victim's digest (a holder showed her the credential) and anchors it herself.
      const own = batchTree([target, ...digestsOf("mallory filler", 3)]);
      await registry.connect(mallory).anchor(own.root, 4);
      await expect(registry.connect(mallory).revoke(own.root, ...proofOf(own, target), "fraudulent"))
        .to.emit(registry, "Revoked")
        .withArgs(mallory.address, target, own.root, "fraudulent");
      expect((await registry.revocationOf(mallory.address, target)).revokedAt).to.equal(await time.latest());

      expect(await revocationOf(registry, victim, target)).to.deep.equal([0n, 0n]);
      expect(await verifyOf(registry, victim, tree, target)).to.deep.equal(included({ anchoredAt, count: 7 }));

      // She cannot revoke inside the victim's root, alone or in a list.
      await expect(registry.connect(mallory).revoke(tree.root, ...proofOf(tree, target), "fraudulent"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(mallory.address, tree.root);
      const multiProof = tree.getMultiProof([[target], [digests[3]]]);
      await expect(registry.connect(mallory).revokeMany(tree.root, ...multiProofArgs(multiProof), "fraudulent"))
        .to.be.revertedWithCustomError(registry, "RootNotAnchored")
        .withArgs(mallory.address, tree.root);
      expect(await revocationOf(registry, victim, digests[3])).to.deep.equal([0n, 0n]);

      // The victim still decides about its own credential.
      await expect(registry.connect(victim).revoke(tree.root, ...proofOf(tree, target), "withdrawn"))
        .to.emit(registry, "Revoked")
        .withArgs(victim.address, target, tree.root, "withdrawn");
      const revokedAt = await time.latest();
      expect((await revocationOf(registry, victim, target))[0]).to.equal(revokedAt);
      expect(await verifyOf(registry, victim, tree, target)).to.deep.equal(
        included({ anchoredAt, count: 7, revokedAt }),
      );
    });

    it("a squatted root: mallory copies the victim's pending anchor with a higher tip, and both stand apart", async function () {
      const { registry, alpha: victim, mallory } = await loadFixture(issuersFixture);
      const digests = digestsOf("victim batch", 5);
      const tree = batchTree(digests);
      const maxFeePerGas = 100n * GWEI;

      await setAutomine(false);
      let victimTx;
      let malloryTx;
      try {
        victimTx = await registry
          .connect(victim)
          .anchor(tree.root, 5, { maxPriorityFeePerGas: 1n * GWEI, maxFeePerGas, gasLimit: 100_000 });

        // Mallory watches the mempool, decodes the victim's call and sends the same root, paying more.
        const pending = await hre.network.provider.send("eth_getBlockByNumber", ["pending", true]);
        const seen = pending.transactions.find((tx) => tx.hash === victimTx.hash);
        expect(seen, "the victim's transaction is pending").to.not.equal(undefined);
        const call = registry.interface.parseTransaction({ data: seen.input });
        expect([call.name, call.args.root, call.args.count]).to.deep.equal(["anchor", tree.root, 5n]);

        // She states a count of her own: nothing she states reaches the victim's record.
        malloryTx = await registry.connect(mallory).anchor(call.args.root, 1, {
          maxPriorityFeePerGas: BigInt(seen.maxPriorityFeePerGas) * 2n,
          maxFeePerGas,
          gasLimit: 100_000,
        });
        await hre.network.provider.send("evm_mine", []);
      } finally {
        await setAutomine(true);
      }

      const block = await ethers.provider.getBlock("latest");
      expect(block.transactions).to.deep.equal([malloryTx.hash, victimTx.hash]);
      const [malloryReceipt, victimReceipt] = [await malloryTx.wait(), await victimTx.wait()];
      expect([malloryReceipt.status, victimReceipt.status]).to.deep.equal([1, 1]);
      const victimEvents = victimReceipt.logs.map((log) => registry.interface.parseLog(log).args);
      expect(victimEvents.map((event) => [event.issuer, event.root])).to.deep.equal([[victim.address, tree.root]]);

      const anchoredAt = block.timestamp;
      expect([...(await registry.anchorOf(victim.address, tree.root))]).to.deep.equal([BigInt(anchoredAt), 5n]);
      expect([...(await registry.anchorOf(mallory.address, tree.root))]).to.deep.equal([BigInt(anchoredAt), 1n]);
      for (const digest of digests) {
        expect(await verifyOf(registry, victim, tree, digest)).to.deep.equal(included({ anchoredAt, count: 5 }));
      }

      // Her copy is hers: revoking in it leaves the victim's credentials as they are.
      await registry.connect(mallory).revoke(tree.root, ...proofOf(tree, digests[0]), "squatted");
      expect(await revocationOf(registry, victim, digests[0])).to.deep.equal([0n, 0n]);
      expect(await verifyOf(registry, victim, tree, digests[0])).to.deep.equal(included({ anchoredAt, count: 5 }));
      await expect(registry.connect(victim).revoke(tree.root, ...proofOf(tree, digests[0]), "withdrawn"))
        .to.emit(registry, "Revoked")
        .withArgs(victim.address, digests[0], tree.root, "withdrawn");
    });

    it("a stolen key: anchors after trustedUntil are void, the thief is locked out, the operator revokes for the issuer", async function () {
      const { registry, alpha: issuer, mallory, outsider } = await loadFixture(issuersFixture);
      const genuine = digestsOf("genuine batch A", 6);
      const batchA = batchTree(genuine);
      await registry.connect(issuer).anchor(batchA.root, 6);
      const anchoredA = await time.latest();

      await time.increase(3_600);
      // The thief, holding the issuer's key, anchors forged credentials.
      const forged = digestsOf("forged batch B", 4);
      const batchB = batchTree(forged);
      await registry.connect(issuer).anchor(batchB.root, 4);
      const anchoredB = await time.latest();

      // Before the removal the operator may not revoke for the issuer, and nobody else ever may.
      await expect(registry.revokeFor(issuer.address, batchB.root, ...proofOf(batchB, forged[0]), "key stolen"))
        .to.be.revertedWithCustomError(registry, "IssuerStillActive")
        .withArgs(issuer.address);
      const trustedUntil = anchoredA + 1_800;
      for (const caller of [issuer, mallory, outsider]) {
        await expect(registry.connect(caller).removeIssuer(issuer.address, trustedUntil))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }

      // The operator learns of the theft and removes the issuer with the last moment its key was safe.
      await time.increase(600);
      await expect(registry.removeIssuer(issuer.address, trustedUntil))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(issuer.address, trustedUntil);
      expect(anchoredA).to.be.at.most(trustedUntil);
      expect(anchoredB).to.be.greaterThan(trustedUntil);

      const genuineStayValid = async () => {
        for (const digest of genuine) {
          expect(await verifyOf(registry, issuer, batchA, digest)).to.deep.equal(
            included({ anchoredAt: anchoredA, count: 6 }),
          );
        }
      };
      await genuineStayValid();
      for (const digest of forged) {
        expect(await verifyOf(registry, issuer, batchB, digest)).to.deep.equal(
          included({ anchoredAt: anchoredB, count: 4, trusted: false }),
        );
      }

      // The key is now worthless.
      await expect(registry.connect(issuer).anchor(digestOf("batch C"), 1))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(issuer.address);
      await expect(registry.connect(issuer).revoke(batchA.root, ...proofOf(batchA, genuine[0]), "spite"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(issuer.address);
      const pairA = batchA.getMultiProof([[genuine[0]], [genuine[1]]]);
      await expect(registry.connect(issuer).revokeMany(batchA.root, ...multiProofArgs(pairA), "spite"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(issuer.address);
      for (const caller of [issuer, mallory, outsider]) {
        const asCaller = registry.connect(caller);
        await expect(asCaller.revokeFor(issuer.address, batchA.root, ...proofOf(batchA, genuine[0]), "spite"))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
        await expect(asCaller.revokeManyFor(issuer.address, batchA.root, ...multiProofArgs(pairA), "spite"))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
      await genuineStayValid();

      // The operator revokes the forged credentials on the issuer's behalf, one and then the rest.
      const receipt = await mined(
        registry.revokeFor(issuer.address, batchB.root, ...proofOf(batchB, forged[0]), "key stolen"),
      );
      const revokedAt = await time.latest();
      expect(await revocationOf(registry, issuer, forged[0])).to.deep.equal([
        BigInt(revokedAt),
        BigInt(receipt.blockNumber),
      ]);
      const logs = await revokedLogsAt(registry, issuer, forged[0], receipt.blockNumber);
      expect(logs.map((log) => [log.issuer, log.digest, log.root, log.reason])).to.deep.equal([
        [issuer.address, forged[0], batchB.root, "key stolen"],
      ]);
      expect(await verifyOf(registry, issuer, batchB, forged[0])).to.deep.equal(
        included({ anchoredAt: anchoredB, count: 4, trusted: false, revokedAt }),
      );

      const rest = batchB.getMultiProof(forged.slice(1).map((digest) => [digest]));
      await mined(registry.revokeManyFor(issuer.address, batchB.root, ...multiProofArgs(rest), "key stolen"));
      for (const digest of forged.slice(1)) {
        expect((await registry.revocationOf(issuer.address, digest)).revokedAt).to.equal(await time.latest());
      }
      await genuineStayValid();
    });

    it("a plain removal keeps every earlier anchor trusted, and trustedUntil can then only go down", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const addedAt = Number((await registry.issuerOf(alpha.address)).addedAt);
      const batches = [];
      for (let i = 0; i < 3; i++) {
        await time.increase(1_000);
        const tree = batchTree(digestsOf(`alpha batch ${i}`, 3 + i));
        await registry.connect(alpha).anchor(tree.root, tree.length);
        batches.push({ tree, anchoredAt: await time.latest() });
      }

      // The latest block is the last anchor's: trustedUntil equal to an anchor's time keeps it trusted.
      const trustedUntil = await time.latest();
      await expect(registry.removeIssuer(alpha.address, trustedUntil))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, trustedUntil);
      const removedAt = await time.latest();
      const checkAll = async (trustedUpTo) => {
        for (const { tree, anchoredAt } of batches) {
          const [digest] = tree.at(0);
          expect(await verifyOf(registry, alpha, tree, digest)).to.deep.equal(
            included({ anchoredAt, count: tree.length, trusted: anchoredAt <= trustedUpTo }),
          );
        }
      };
      await checkAll(trustedUntil);

      // Raising it again, or repeating it, is refused.
      for (const refused of [trustedUntil, trustedUntil + 1, removedAt]) {
        await expect(registry.removeIssuer(alpha.address, refused))
          .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
          .withArgs(refused, addedAt, trustedUntil - 1);
      }
      await checkAll(trustedUntil);

      // Lowering it voids the later anchors only.
      const lowered = batches[1].anchoredAt;
      await expect(registry.removeIssuer(alpha.address, lowered))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(alpha.address, lowered);
      await checkAll(lowered);
      const [, , removedAfter, trustedAfter] = await registry.issuerOf(alpha.address);
      expect([removedAfter, trustedAfter]).to.deep.equal([BigInt(removedAt), BigInt(lowered)]);

      // Below the admission, or back up, is refused; and it never goes into the future.
      await expect(registry.removeIssuer(alpha.address, addedAt - 1))
        .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
        .withArgs(addedAt - 1, addedAt, lowered - 1);
      await expect(registry.removeIssuer(alpha.address, trustedUntil))
        .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
        .withArgs(trustedUntil, addedAt, lowered - 1);
      await expect(registry.removeIssuer(alpha.address, removedAt + 3_600))
        .to.be.revertedWithCustomError(registry, "InvalidTrustedUntil")
        .withArgs(removedAt + 3_600, addedAt, lowered - 1);
      await checkAll(lowered);
    });

    it("a forged registry: mallory's own deployment proves nothing to the real one", async function () {
      const { registry, alpha: victim, mallory } = await loadFixture(issuersFixture);
      const forgedRegistry = await ethers.deployContract("CredentialRegistry", [], mallory);
      expect(await forgedRegistry.owner()).to.equal(mallory.address);
      await forgedRegistry.connect(mallory).addIssuer(mallory.address, "Alpha University");
      const tree = batchTree(digestsOf("forged diplomas", 3));
      await forgedRegistry.connect(mallory).anchor(tree.root, 3);
      const [digest] = tree.at(0);

      // Her registry vouches for her, under the victim's name ...
      expect((await forgedRegistry.issuerOf(mallory.address)).name).to.equal("Alpha University");
      expect(await verifyOf(forgedRegistry, mallory, tree, digest)).to.deep.equal(
        included({ anchoredAt: await time.latest(), count: 3 }),
      );
      // ... and the real registry knows nothing of it: trust lies in the contract's address.
      expect(await forgedRegistry.getAddress()).to.not.equal(await registry.getAddress());
      expect(await verifyOf(registry, mallory, tree, digest)).to.deep.equal(NOT_ANCHORED);
      expect(await verifyOf(registry, victim, tree, digest)).to.deep.equal(NOT_ANCHORED);
      expect([...(await registry.anchorOf(mallory.address, tree.root))]).to.deep.equal([0n, 0n]);
      expect((await registry.issuerOf(mallory.address)).name).to.equal("Mallory Training Ltd");
    });
  });

  describe("events", function () {
    it("emit exactly one event per state change", async function () {
      const { registry, alpha, mallory, tree, digests } = await loadFixture(anchoredBatchFixture);
      const emits = async (tx, names) => expect(await eventNames(registry, tx)).to.deep.equal(names);
      const asAlpha = registry.connect(alpha);

      await emits(asAlpha.anchor(digestOf("root 2"), 9), ["Anchored"]);
      await emits(asAlpha.revoke(tree.root, ...proofOf(tree, digests[0]), "gone"), ["Revoked"]);
      const pair = tree.getMultiProof([[digests[1]], [digests[2]]]);
      await emits(asAlpha.revokeMany(tree.root, ...multiProofArgs(pair), "gone"), ["Revoked", "Revoked"]);
      await time.increase(10);
      await emits(registry.removeIssuer(alpha.address, await time.latest()), ["IssuerRemoved"]);
      await emits(registry.removeIssuer(alpha.address, (await time.latest()) - 5), ["IssuerRemoved"]);
      await emits(registry.revokeFor(alpha.address, tree.root, ...proofOf(tree, digests[3]), "gone"), ["Revoked"]);
      const more = tree.getMultiProof([[digests[4]], [digests[5]], [digests[6]]]);
      await emits(registry.revokeManyFor(alpha.address, tree.root, ...multiProofArgs(more), "gone"), [
        "Revoked",
        "Revoked",
        "Revoked",
      ]);
      const gamma = ethers.getAddress(ethers.dataSlice(digestOf("gamma"), 12));
      await emits(registry.addIssuer(gamma, "Gamma College"), ["IssuerAdded"]);
      await emits(registry.transferOwnership(mallory.address), ["OwnershipTransferStarted"]);
      await emits(registry.connect(mallory).acceptOwnership(), ["OwnershipTransferred"]);
    });
  });

  describe("storage", function () {
    async function storageLayout() {
      const name = "contracts/CredentialRegistry.sol:CredentialRegistry";
      const buildInfo = await hre.artifacts.getBuildInfo(name);
      return buildInfo.output.contracts["contracts/CredentialRegistry.sol"].CredentialRegistry.storageLayout;
    }

    /** The struct a state variable's mappings end in, with each member's label, slot and offset. */
    function structOf(layout, variable) {
      let type = layout.types[layout.storage.find((entry) => entry.label === variable).type];
      while (type.encoding === "mapping") type = layout.types[type.value];
      return {
        size: Number(type.numberOfBytes),
        members: type.members.map((m) => [m.label, layout.types[m.type].label, Number(m.slot), m.offset]),
      };
    }

    it("packs an issuer's timestamps into one slot, an anchor into one, a revocation into one", async function () {
      const layout = await storageLayout();
      expect(structOf(layout, "_issuers")).to.deep.equal({
        size: 64,
        members: [
          ["addedAt", "uint64", 0, 0],
          ["removedAt", "uint64", 0, 8],
          ["trustedUntil", "uint64", 0, 16],
          ["name", "string", 1, 0],
        ],
      });
      expect(structOf(layout, "_anchors")).to.deep.equal({
        size: 32,
        members: [
          ["anchoredAt", "uint64", 0, 0],
          ["count", "uint32", 0, 8],
        ],
      });
      expect(structOf(layout, "_revocations")).to.deep.equal({
        size: 32,
        members: [
          ["revokedAt", "uint64", 0, 0],
          ["blockNumber", "uint64", 0, 8],
        ],
      });
    });

    /** The storage slot of `key` in a mapping at `slot`, as Solidity lays it out. */
    function mappingSlot(key, slot) {
      return ethers.keccak256(ethers.concat([ethers.zeroPadValue(key, 32), ethers.toBeHex(slot, 32)]));
    }

    /** The state variable's slot, from the compiler's layout. */
    function slotOf(layout, variable) {
      return BigInt(layout.storage.find((entry) => entry.label === variable).slot);
    }

    /** A transaction's storage accesses and logs, from the node's trace of it. */
    async function storageTrace(tx) {
      const trace = await hre.network.provider.send("debug_traceTransaction", [tx.hash]);
      const word = (hex) => `0x${hex.replace(/^0x/, "").padStart(64, "0")}`;
      const top = (step, depth) => word(step.stack[step.stack.length - 1 - depth]);
      const steps = trace.structLogs;
      return {
        slotsRead: [...new Set(steps.filter((step) => step.op === "SLOAD").map((step) => top(step, 0)))],
        writes: steps.filter((step) => step.op === "SSTORE").map((step) => [top(step, 0), top(step, 1)]),
        logs: steps.filter((step) => step.op.startsWith("LOG")).map((step) => step.op),
      };
    }

    /** The first `bits` of a storage word above its lowest `offset` bits. */
    function field(word, offset, bits) {
      return (BigInt(word) >> BigInt(offset)) & ((1n << BigInt(bits)) - 1n);
    }

    it("anchors reading the issuer's slot and the anchor's, writing the anchor's once, one event", async function () {
      const layout = await storageLayout();
      const { registry, alpha } = await loadFixture(issuersFixture);
      const root = digestOf("traced root");
      const tx = await registry.connect(alpha).anchor(root, 100);
      const anchoredAt = await time.latest();

      const issuerSlot = mappingSlot(alpha.address, slotOf(layout, "_issuers"));
      const anchorSlot = mappingSlot(root, mappingSlot(alpha.address, slotOf(layout, "_anchors")));
      const { slotsRead, writes, logs } = await storageTrace(tx);
      expect(slotsRead).to.have.members([issuerSlot, anchorSlot]);
      expect(writes.map(([slot]) => slot)).to.deep.equal([anchorSlot]);
      const [[, value]] = writes;
      expect([field(value, 0, 64), field(value, 64, 32), BigInt(value) >> 96n]).to.deep.equal([
        BigInt(anchoredAt),
        100n,
        0n,
      ]);
      expect(logs).to.deep.equal(["LOG3"]);
    });

    it("revokes reading the issuer's, anchor's and revocation's slots, writing the revocation's once, one event", async function () {
      const layout = await storageLayout();
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const tx = await registry.connect(alpha).revoke(tree.root, ...proofOf(tree, digests[0]), "traced");
      const receipt = await tx.wait();

      const issuerSlot = mappingSlot(alpha.address, slotOf(layout, "_issuers"));
      const anchorSlot = mappingSlot(tree.root, mappingSlot(alpha.address, slotOf(layout, "_anchors")));
      const revocationSlot = mappingSlot(digests[0], mappingSlot(alpha.address, slotOf(layout, "_revocations")));
      const { slotsRead, writes, logs } = await storageTrace(tx);
      expect(slotsRead).to.have.members([issuerSlot, anchorSlot, revocationSlot]);
      expect(writes.map(([slot]) => slot)).to.deep.equal([revocationSlot]);
      const [[, value]] = writes;
      expect([field(value, 0, 64), field(value, 64, 64), BigInt(value) >> 128n]).to.deep.equal([
        BigInt(await time.latest()),
        BigInt(receipt.blockNumber),
        0n,
      ]);
      expect(logs).to.deep.equal(["LOG4"]);
    });
  });

  describe("gas", function () {
    const rows = [];

    after(function () {
      if (rows.length === 0) return;
      const table = [["transaction", "gas used", "per credential"], ...rows.map((row) => row.map(String))];
      const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
      const line = (row) =>
        row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])));
      console.log("\n      gas used by whole transactions, from their receipts");
      for (const row of table) console.log(`        ${line(row).join("  ")}`);
    });

    it(`anchors a batch of any size for at most ${ANCHOR_GAS_LIMIT} gas`, async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const used = [];
      for (const count of [1, 2, 1_000, UINT32_MAX]) {
        const root = digestOf(`root of ${count}`);
        const gas = await gasUsed(registry.connect(alpha).anchor(root, count));
        rows.push([`anchor, count ${count}`, gas, "-"]);
        expect(gas).to.be.at.most(ANCHOR_GAS_LIMIT);
        expect((await registry.anchorOf(alpha.address, root)).count).to.equal(count);
        used.push(gas);
      }
      // Only the call data of the count differs (a non-zero byte costs 12 gas more than a zero byte).
      const spread = used.reduce((a, b) => (a > b ? a : b)) - used.reduce((a, b) => (a < b ? a : b));
      expect(spread).to.be.at.most(3n * 12n);
    });

    describe("with a batch of 65,537 credentials (proof depth 17)", function () {
      let tree;
      let deepIndex;

      before(function () {
        // 2^16 + 1 leaves: two of them sit at depth 17, the same depth as in a full tree of 2^17,
        // at half the time it takes to build one.
        tree = batchTree(digestsOf("large batch", 65_537));
        const deepest = tree.dump().values.reduce((a, b) => (b.treeIndex > a.treeIndex ? b : a));
        deepIndex = tree.dump().values.indexOf(deepest);
      });

      async function largeBatchFixture() {
        const fixture = await issuersFixture();
        await fixture.registry.connect(fixture.alpha).anchor(tree.root, tree.length);
        return fixture;
      }

      it(`revokes one credential at depth 17 for at most ${REVOKE_GAS_LIMIT} gas`, async function () {
        const { registry, alpha } = await loadFixture(largeBatchFixture);
        const proof = tree.getProof(deepIndex);
        expect(proof.length).to.equal(17);
        const [digest] = tree.at(deepIndex);

        const gas = await gasUsed(registry.connect(alpha).revoke(tree.root, digest, proof, "issued in error"));
        rows.push(["revoke, proof depth 17", gas, gas]);
        expect(gas).to.be.at.most(REVOKE_GAS_LIMIT);
        const [, , , , revokedAt] = await registry.verify(alpha.address, tree.root, digest, proof);
        expect(revokedAt).to.equal(await time.latest());
      });

      it(`revokes one credential for a removed issuer at depth 17 for at most ${REVOKE_GAS_LIMIT} gas`, async function () {
        const { registry, alpha } = await loadFixture(largeBatchFixture);
        await registry.removeIssuer(alpha.address, await time.latest());
        const proof = tree.getProof(deepIndex);
        const [digest] = tree.at(deepIndex);

        const gas = await gasUsed(registry.revokeFor(alpha.address, tree.root, digest, proof, "issued in error"));
        rows.push(["revokeFor, proof depth 17", gas, gas]);
        expect(gas).to.be.at.most(REVOKE_GAS_LIMIT);
        expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(await time.latest());
      });

      for (const count of [2, 8, 32]) {
        it(`revokes ${count} credentials with one multiproof`, async function () {
          const { registry, alpha } = await loadFixture(largeBatchFixture);
          // Credentials spread over the batch: the multiproof shares few nodes, the costly case.
          const step = Math.floor(tree.length / count);
          const multiProof = tree.getMultiProof(Array.from({ length: count }, (_, i) => i * step));
          const chosen = multiProofDigests(multiProof);

          const gas = await gasUsed(
            registry
              .connect(alpha)
              .revokeMany(tree.root, chosen, multiProof.proof, multiProof.proofFlags, "issued in error"),
          );
          rows.push([`revokeMany, ${count} credentials`, gas, gas / BigInt(count)]);
          // Sharing one proof never makes a credential dearer than revoking it alone.
          expect(gas / BigInt(count)).to.be.at.most(REVOKE_GAS_LIMIT);
          for (const digest of chosen) {
            expect((await registry.revocationOf(alpha.address, digest)).revokedAt).to.equal(await time.latest());
          }
        });
      }
    });
  });
});
