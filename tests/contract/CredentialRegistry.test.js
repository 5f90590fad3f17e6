const { expect } = require("chai");
const hre = require("hardhat");
const { ethers } = hre;
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

const MAX_NAME_LENGTH = 256;
const MAX_REASON_LENGTH = 256;
const ANCHOR_GAS_LIMIT = 50_000n;
const REVOKE_GAS_LIMIT = 80_000n;
const UINT32_MAX = 4_294_967_295;

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

// ---- fixtures --------------------------------------------------------------------------------

async function deployFixture() {
  const [operator, alpha, beta, outsider, nextOperator] = await ethers.getSigners();
  const registry = await ethers.deployContract("CredentialRegistry");
  return { registry, operator, alpha, beta, outsider, nextOperator };
}

async function issuersFixture() {
  const fixture = await deployFixture();
  await fixture.registry.addIssuer(fixture.alpha.address, "Alpha University");
  await fixture.registry.addIssuer(fixture.beta.address, "Beta Academy");
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

// ---- tests -----------------------------------------------------------------------------------

describe("CredentialRegistry", function () {
  describe("deployment and operator", function () {
    it("makes the deployer the operator", async function () {
      const { registry, operator } = await loadFixture(deployFixture);
      expect(await registry.owner()).to.equal(operator.address);
      expect(await registry.pendingOwner()).to.equal(ethers.ZeroAddress);
      expect(await registry.MAX_NAME_LENGTH()).to.equal(MAX_NAME_LENGTH);
      expect(await registry.MAX_REASON_LENGTH()).to.equal(MAX_REASON_LENGTH);
    });

    it("hands the operator role over in two steps", async function () {
      const { registry, operator, nextOperator, alpha } = await loadFixture(deployFixture);

      await expect(registry.transferOwnership(nextOperator.address))
        .to.emit(registry, "OwnershipTransferStarted")
        .withArgs(operator.address, nextOperator.address);
      expect(await registry.owner()).to.equal(operator.address);
      await expect(registry.connect(nextOperator).addIssuer(alpha.address, "Alpha University"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(nextOperator.address);

      await expect(registry.connect(alpha).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(alpha.address);
      await expect(registry.connect(nextOperator).acceptOwnership())
        .to.emit(registry, "OwnershipTransferred")
        .withArgs(operator.address, nextOperator.address);

      expect(await registry.owner()).to.equal(nextOperator.address);
      await expect(registry.connect(nextOperator).addIssuer(alpha.address, "Alpha University")).to.emit(
        registry,
        "IssuerAdded",
      );
      await expect(registry.connect(operator).removeIssuer(alpha.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
    });

    it("cannot be renounced", async function () {
      const { registry, operator, outsider } = await loadFixture(deployFixture);
      await expect(registry.renounceOwnership()).to.be.revertedWithCustomError(registry, "OperatorRequired");
      await expect(registry.connect(outsider).renounceOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect(await registry.owner()).to.equal(operator.address);
    });
  });

  describe("addIssuer", function () {
    it("admits an issuer and records its name and time", async function () {
      const { registry, alpha } = await loadFixture(deployFixture);

      await expect(registry.addIssuer(alpha.address, "Alpha University"))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, "Alpha University");

      const [name, addedAt, removedAt] = await registry.issuerOf(alpha.address);
      expect(name).to.equal("Alpha University");
      expect(addedAt).to.equal(await time.latest());
      expect(removedAt).to.equal(0);
    });

    it("is for the operator only", async function () {
      const { registry, alpha, outsider } = await loadFixture(deployFixture);
      await expect(registry.connect(alpha).addIssuer(alpha.address, "Alpha University"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(alpha.address);
      await expect(registry.connect(outsider).addIssuer(alpha.address, "Alpha University"))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
    });

    it("refuses the zero address", async function () {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(ethers.ZeroAddress, "Nobody")).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
    });

    it("needs a name of 1 to 256 bytes", async function () {
      const { registry, alpha, beta } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(alpha.address, "")).to.be.revertedWithCustomError(registry, "EmptyName");
      await expect(registry.addIssuer(alpha.address, utf8OfLength(MAX_NAME_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "NameTooLong")
        .withArgs(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH);

      const longest = utf8OfLength(MAX_NAME_LENGTH);
      await expect(registry.addIssuer(alpha.address, longest))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, longest);
      await registry.addIssuer(beta.address, "B");
      expect((await registry.issuerOf(alpha.address)).name).to.equal(longest);
      expect((await registry.issuerOf(beta.address)).name).to.equal("B");
    });

    it("refuses an account that is already an issuer", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      await expect(registry.addIssuer(alpha.address, "Alpha Again"))
        .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
        .withArgs(alpha.address);
    });

    it("never admits a removed issuer again", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      await registry.removeIssuer(alpha.address);
      await expect(registry.addIssuer(alpha.address, "Alpha University"))
        .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
        .withArgs(alpha.address);
    });
  });

  describe("removeIssuer", function () {
    it("removes an issuer and keeps its record", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const [, addedAt] = await registry.issuerOf(alpha.address);

      await expect(registry.removeIssuer(alpha.address)).to.emit(registry, "IssuerRemoved").withArgs(alpha.address);

      const [name, addedAtAfter, removedAt] = await registry.issuerOf(alpha.address);
      expect(name).to.equal("Alpha University");
      expect(addedAtAfter).to.equal(addedAt);
      expect(removedAt).to.equal(await time.latest());
    });

    it("is for the operator only", async function () {
      const { registry, alpha, beta } = await loadFixture(issuersFixture);
      await expect(registry.connect(beta).removeIssuer(alpha.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(beta.address);
    });

    it("refuses an account that was never added", async function () {
      const { registry, outsider } = await loadFixture(issuersFixture);
      await expect(registry.removeIssuer(outsider.address))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(outsider.address);
      await expect(registry.removeIssuer(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(ethers.ZeroAddress);
    });

    it("refuses an issuer that was already removed", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      await registry.removeIssuer(alpha.address);
      await expect(registry.removeIssuer(alpha.address))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(alpha.address);
    });
  });

  describe("issuerOf", function () {
    it("answers empty values for an unknown account", async function () {
      const { registry, outsider } = await loadFixture(issuersFixture);
      const [name, addedAt, removedAt] = await registry.issuerOf(outsider.address);
      expect(name).to.equal("");
      expect(addedAt).to.equal(0);
      expect(removedAt).to.equal(0);
    });
  });

  describe("anchor", function () {
    it("records who anchored a root, when, and the batch size", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const root = digestOf("some root");

      await expect(registry.connect(alpha).anchor(root, 42))
        .to.emit(registry, "Anchored")
        .withArgs(root, alpha.address, 42);

      const [issuer, anchoredAt, count] = await registry.anchorOf(root);
      expect(issuer).to.equal(alpha.address);
      expect(anchoredAt).to.equal(await time.latest());
      expect(count).to.equal(42);
    });

    it("accepts the largest count", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const root = digestOf("largest batch");
      await expect(registry.connect(alpha).anchor(root, UINT32_MAX))
        .to.emit(registry, "Anchored")
        .withArgs(root, alpha.address, UINT32_MAX);
      expect((await registry.anchorOf(root)).count).to.equal(UINT32_MAX);
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
    });

    it("is for active issuers only", async function () {
      const { registry, operator, outsider } = await loadFixture(issuersFixture);
      const root = digestOf("root");
      await expect(registry.connect(outsider).anchor(root, 1))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(outsider.address);
      await expect(registry.connect(operator).anchor(root, 1))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(operator.address);
    });

    it("anchors a root once", async function () {
      const { registry, alpha, beta } = await loadFixture(issuersFixture);
      const root = digestOf("root");
      await registry.connect(alpha).anchor(root, 3);
      const before = await registry.anchorOf(root);

      await expect(registry.connect(alpha).anchor(root, 3))
        .to.be.revertedWithCustomError(registry, "RootAlreadyAnchored")
        .withArgs(root, alpha.address);
      await expect(registry.connect(beta).anchor(root, 5))
        .to.be.revertedWithCustomError(registry, "RootAlreadyAnchored")
        .withArgs(root, alpha.address);
      expect(await registry.anchorOf(root)).to.deep.equal(before);
    });
  });

  describe("anchorOf", function () {
    it("answers zero values for an unknown root", async function () {
      const { registry } = await loadFixture(anchoredBatchFixture);
      const [issuer, anchoredAt, count] = await registry.anchorOf(digestOf("never anchored"));
      expect(issuer).to.equal(ethers.ZeroAddress);
      expect(anchoredAt).to.equal(0);
      expect(count).to.equal(0);
    });
  });

  describe("revoke", function () {
    it("revokes a credential of the caller's batch", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const digest = digests[3];

      await expect(registry.connect(alpha).revoke(digest, tree.root, tree.getProof([digest]), "issued in error"))
        .to.emit(registry, "Revoked")
        .withArgs(digest, alpha.address, "issued in error");

      const revokedAt = await time.latest();
      expect(await registry.revokedAt(digest)).to.equal(revokedAt);
      const result = await registry.verify(digest, tree.root, tree.getProof([digest]));
      expect(result.included).to.equal(true);
      expect(result.revokedAt).to.equal(revokedAt);
    });

    it("leaves the other credentials of the batch valid", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      await registry.connect(alpha).revoke(digests[0], tree.root, tree.getProof([digests[0]]), "withdrawn");

      for (const digest of digests.slice(1)) {
        expect(await registry.revokedAt(digest)).to.equal(0);
        const [included, issuer, at, revokedAt] = await registry.verify(digest, tree.root, tree.getProof([digest]));
        expect([included, issuer, at, revokedAt]).to.deep.equal([true, alpha.address, BigInt(anchoredAt), 0n]);
      }
    });

    it("needs a reason of 1 to 256 bytes", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proofOf = (i) => tree.getProof([digests[i]]);

      await expect(registry.connect(alpha).revoke(digests[0], tree.root, proofOf(0), "")).to.be.revertedWithCustomError(
        registry,
        "ReasonRequired",
      );
      await expect(
        registry.connect(alpha).revoke(digests[0], tree.root, proofOf(0), utf8OfLength(MAX_REASON_LENGTH + 1)),
      )
        .to.be.revertedWithCustomError(registry, "ReasonTooLong")
        .withArgs(MAX_REASON_LENGTH + 1, MAX_REASON_LENGTH);

      const longest = utf8OfLength(MAX_REASON_LENGTH);
      await expect(registry.connect(alpha).revoke(digests[0], tree.root, proofOf(0), longest))
        .to.emit(registry, "Revoked")
        .withArgs(digests[0], alpha.address, longest);
    });

    it("refuses an unknown root", async function () {
      const { registry, alpha } = await loadFixture(anchoredBatchFixture);
      const other = batchTree(digestsOf("never anchored", 4));
      const digest = other.at(0)[0];
      await expect(registry.connect(alpha).revoke(digest, other.root, other.getProof(0), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "UnknownRoot")
        .withArgs(other.root);
    });

    it("is for the issuer that anchored the root only", async function () {
      const { registry, beta, outsider, operator, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proof = tree.getProof([digests[0]]);
      for (const caller of [beta, outsider, operator]) {
        await expect(registry.connect(caller).revoke(digests[0], tree.root, proof, "withdrawn"))
          .to.be.revertedWithCustomError(registry, "NotRootIssuer")
          .withArgs(tree.root, caller.address);
      }
    });

    it("refuses a digest that is not in the batch", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const stranger = digestOf("not in the batch");
      await expect(registry.connect(alpha).revoke(stranger, tree.root, tree.getProof([digests[0]]), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NotInBatch")
        .withArgs(stranger, tree.root);

      const tampered = tree.getProof([digests[0]]);
      tampered[0] = flipBit(tampered[0]);
      await expect(registry.connect(alpha).revoke(digests[0], tree.root, tampered, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NotInBatch")
        .withArgs(digests[0], tree.root);
      expect(await registry.revokedAt(digests[0])).to.equal(0);
    });

    it("refuses a second revocation", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const proof = tree.getProof([digests[2]]);
      await registry.connect(alpha).revoke(digests[2], tree.root, proof, "withdrawn");
      const revokedAt = await time.latest();

      await expect(registry.connect(alpha).revoke(digests[2], tree.root, proof, "again"))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(digests[2], revokedAt);
    });
  });

  describe("revokeMany", function () {
    it("revokes several credentials of one batch with one multiproof", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[1]], [digests[4]], [digests[6]]]);
      const chosen = multiProofDigests(multiProof);

      const tx = registry
        .connect(alpha)
        .revokeMany(chosen, tree.root, multiProof.proof, multiProof.proofFlags, "course withdrawn");
      for (const digest of chosen) {
        await expect(tx).to.emit(registry, "Revoked").withArgs(digest, alpha.address, "course withdrawn");
      }
      const receipt = await (await tx).wait();
      expect(receipt.logs).to.have.length(chosen.length);

      const revokedAt = await time.latest();
      for (const digest of digests) {
        const expected = chosen.includes(digest) ? revokedAt : 0;
        expect(await registry.revokedAt(digest)).to.equal(expected);
        expect((await registry.verify(digest, tree.root, tree.getProof([digest]))).revokedAt).to.equal(expected);
      }
    });

    it("revokes every credential of a batch, and a single one", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const all = tree.getMultiProof(digests.map((digest) => [digest]));
      await registry
        .connect(alpha)
        .revokeMany(multiProofDigests(all), tree.root, all.proof, all.proofFlags, "withdrawn");
      for (const digest of digests) {
        expect(await registry.revokedAt(digest)).to.not.equal(0);
      }

      const single = batchTree(digestsOf("single", 5));
      await registry.connect(alpha).anchor(single.root, 5);
      const one = single.getMultiProof([2]);
      await expect(
        registry.connect(alpha).revokeMany(multiProofDigests(one), single.root, one.proof, one.proofFlags, "withdrawn"),
      )
        .to.emit(registry, "Revoked")
        .withArgs(single.at(2)[0], alpha.address, "withdrawn");
    });

    it("refuses an empty list", async function () {
      const { registry, alpha, tree } = await loadFixture(anchoredBatchFixture);
      await expect(
        registry.connect(alpha).revokeMany([], tree.root, [tree.root], [], "withdrawn"),
      ).to.be.revertedWithCustomError(registry, "NoDigests");
    });

    it("applies the rules of revoke", async function () {
      const { registry, alpha, beta, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[0]], [digests[5]]]);
      const chosen = multiProofDigests(multiProof);
      const revokeMany = (caller, root, reason) =>
        registry.connect(caller).revokeMany(chosen, root, multiProof.proof, multiProof.proofFlags, reason);

      await expect(revokeMany(alpha, tree.root, "")).to.be.revertedWithCustomError(registry, "ReasonRequired");
      await expect(revokeMany(alpha, tree.root, utf8OfLength(MAX_REASON_LENGTH + 1)))
        .to.be.revertedWithCustomError(registry, "ReasonTooLong")
        .withArgs(MAX_REASON_LENGTH + 1, MAX_REASON_LENGTH);
      const unknownRoot = digestOf("unknown root");
      await expect(revokeMany(alpha, unknownRoot, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "UnknownRoot")
        .withArgs(unknownRoot);
      await expect(revokeMany(beta, tree.root, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "NotRootIssuer")
        .withArgs(tree.root, beta.address);

      await registry.removeIssuer(alpha.address);
      await expect(revokeMany(alpha, tree.root, "withdrawn"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(alpha.address);
    });

    it("refuses the whole list when one credential is already revoked", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      await registry.connect(alpha).revoke(digests[5], tree.root, tree.getProof([digests[5]]), "withdrawn");
      const revokedAt = await time.latest();

      const multiProof = tree.getMultiProof([[digests[0]], [digests[3]], [digests[5]]]);
      await expect(
        registry
          .connect(alpha)
          .revokeMany(multiProofDigests(multiProof), tree.root, multiProof.proof, multiProof.proofFlags, "again"),
      )
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(digests[5], revokedAt);
      expect(await registry.revokedAt(digests[0])).to.equal(0);
      expect(await registry.revokedAt(digests[3])).to.equal(0);
    });

    it("refuses a bad multiproof", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const multiProof = tree.getMultiProof([[digests[1]], [digests[2]], [digests[6]]]);
      const chosen = multiProofDigests(multiProof);
      const { proof, proofFlags } = multiProof;
      const attempt = (leaves, siblings, flags) =>
        expect(registry.connect(alpha).revokeMany(leaves, tree.root, siblings, flags, "withdrawn"))
          .to.be.revertedWithCustomError(registry, "InvalidMultiProof")
          .withArgs(tree.root);

      expect(proof.length).to.be.greaterThan(0);
      await attempt(chosen, [flipBit(proof[0]), ...proof.slice(1)], proofFlags);
      await attempt([...chosen].reverse(), proof, proofFlags);
      await attempt([digestOf("stranger"), ...chosen.slice(1)], proof, proofFlags);
      await attempt([...chosen, chosen[0]], proof, [...proofFlags, true]);
      await attempt(chosen.slice(1), proof, proofFlags);
      await attempt(chosen, proof.slice(1), proofFlags);
      await attempt(chosen, [...proof, proof[0]], proofFlags);
      await attempt(
        chosen,
        proof,
        proofFlags.map((flag) => !flag),
      );
      const swapped = [...proofFlags];
      const [merge, sibling] = [swapped.indexOf(true), swapped.indexOf(false)];
      [swapped[merge], swapped[sibling]] = [swapped[sibling], swapped[merge]];
      await attempt(chosen, proof, swapped);
      await attempt(chosen, [], []);

      for (const digest of digests) {
        expect(await registry.revokedAt(digest)).to.equal(0);
      }
    });
  });

  describe("revokedAt", function () {
    it("answers 0 for a digest that was never revoked", async function () {
      const { registry, digests } = await loadFixture(anchoredBatchFixture);
      expect(await registry.revokedAt(digests[0])).to.equal(0);
      expect(await registry.revokedAt(digestOf("unknown"))).to.equal(0);
    });
  });

  describe("verify", function () {
    for (const size of [1, 2, 3, 7, 100]) {
      it(`includes every credential of an anchored StandardMerkleTree of ${size}`, async function () {
        const { registry, alpha } = await loadFixture(issuersFixture);
        const digests = digestsOf(`tree of ${size}`, size);
        const tree = batchTree(digests);
        await registry.connect(alpha).anchor(tree.root, size);
        const anchoredAt = BigInt(await time.latest());

        for (const [i, [digest]] of tree.entries()) {
          const proof = tree.getProof(i);
          expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [digest], proof)).to.equal(true);
          const result = await registry.verify(digest, tree.root, proof);
          expect([...result]).to.deep.equal([true, alpha.address, anchoredAt, 0n]);
        }

        // The tree's own leaf hash is the one the contract recomputes.
        const [first] = tree.at(0);
        const leaf = ethers.keccak256(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32"], [first])));
        expect(tree.leafHash([first])).to.equal(leaf);
      });
    }

    it("excludes a wrong digest and a tampered proof", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      const digest = digests[2];
      const proof = tree.getProof([digest]);
      const notIncluded = [false, alpha.address, BigInt(anchoredAt), 0n];
      const check = async (d, p) => expect([...(await registry.verify(d, tree.root, p))]).to.deep.equal(notIncluded);

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
      await registry.connect(alpha).revoke(digests[1], tree.root, proof, "withdrawn");
      const revokedAt = BigInt(await time.latest());

      expect((await registry.verify(digests[1], tree.root, proof)).revokedAt).to.equal(revokedAt);
      const wrongProof = tree.getProof([digests[0]]);
      expect([...(await registry.verify(digests[1], tree.root, wrongProof))].slice(0, 1)).to.deep.equal([false]);
      expect((await registry.verify(digests[1], tree.root, wrongProof)).revokedAt).to.equal(0);
    });

    it("answers zero values for an unknown root, even with a valid proof", async function () {
      const { registry } = await loadFixture(anchoredBatchFixture);
      const other = batchTree(digestsOf("never anchored", 3));
      const result = await registry.verify(other.at(0)[0], other.root, other.getProof(0));
      expect([...result]).to.deep.equal([false, ethers.ZeroAddress, 0n, 0n]);
    });
  });

  describe("a removed issuer", function () {
    it("can neither anchor nor revoke, but its earlier anchors still verify", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      await expect(registry.removeIssuer(alpha.address)).to.emit(registry, "IssuerRemoved").withArgs(alpha.address);
      const removedAt = await time.latest();

      await expect(registry.connect(alpha).anchor(digestOf("later root"), 1))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(alpha.address);
      await expect(registry.connect(alpha).revoke(digests[0], tree.root, tree.getProof([digests[0]]), "withdrawn"))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(alpha.address);

      expect([...(await registry.anchorOf(tree.root))]).to.deep.equal([alpha.address, BigInt(anchoredAt), 7n]);
      const [included, issuer, at, revokedAt] = await registry.verify(
        digests[0],
        tree.root,
        tree.getProof([digests[0]]),
      );
      expect([included, issuer, at, revokedAt]).to.deep.equal([true, alpha.address, BigInt(anchoredAt), 0n]);

      // The issuer record shows that the anchor predates the removal.
      const [name, addedAt, removed] = await registry.issuerOf(alpha.address);
      expect(name).to.equal("Alpha University");
      expect(addedAt).to.be.at.most(anchoredAt);
      expect(removed).to.equal(removedAt);
      expect(removed).to.be.greaterThan(anchoredAt);
    });

    it("does not affect the other issuers", async function () {
      const { registry, alpha, beta } = await loadFixture(anchoredBatchFixture);
      await registry.removeIssuer(alpha.address);
      await expect(registry.connect(beta).anchor(digestOf("beta root"), 2))
        .to.emit(registry, "Anchored")
        .withArgs(digestOf("beta root"), beta.address, 2);
    });
  });

  describe("events", function () {
    it("emit exactly one event per state change", async function () {
      const { registry, alpha, tree, digests } = await loadFixture(anchoredBatchFixture);
      const logsOf = async (tx) => (await (await tx).wait()).logs.map((log) => registry.interface.parseLog(log).name);

      expect(await logsOf(registry.connect(alpha).anchor(digestOf("root 2"), 9))).to.deep.equal(["Anchored"]);
      expect(
        await logsOf(registry.connect(alpha).revoke(digests[0], tree.root, tree.getProof([digests[0]]), "withdrawn")),
      ).to.deep.equal(["Revoked"]);
      expect(await logsOf(registry.removeIssuer(alpha.address))).to.deep.equal(["IssuerRemoved"]);
      const gamma = ethers.getAddress(ethers.dataSlice(digestOf("gamma"), 12));
      expect(await logsOf(registry.addIssuer(gamma, "Gamma College"))).to.deep.equal(["IssuerAdded"]);
    });
  });

  describe("storage", function () {
    async function storageLayout() {
      const name = "contracts/CredentialRegistry.sol:CredentialRegistry";
      const buildInfo = await hre.artifacts.getBuildInfo(name);
      return buildInfo.output.contracts["contracts/CredentialRegistry.sol"].CredentialRegistry.storageLayout;
    }

    function membersOf(layout, variable) {
      const mapping = layout.types[layout.storage.find((entry) => entry.label === variable).type];
      const struct = layout.types[mapping.value];
      return {
        size: Number(struct.numberOfBytes),
        members: struct.members.map((m) => [m.label, Number(m.slot), m.offset]),
      };
    }

    it("packs an anchor into one slot and an issuer's timestamps into one slot", async function () {
      const layout = await storageLayout();
      expect(membersOf(layout, "_anchors")).to.deep.equal({
        size: 32,
        members: [
          ["issuer", 0, 0],
          ["anchoredAt", 0, 20],
          ["count", 0, 28],
        ],
      });
      expect(membersOf(layout, "_issuers")).to.deep.equal({
        size: 64,
        members: [
          ["addedAt", 0, 0],
          ["removedAt", 0, 8],
          ["name", 1, 0],
        ],
      });
    });

    it("anchors with one SLOAD of the issuer, one SLOAD and one SSTORE of the anchor, one event", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      const tx = await registry.connect(alpha).anchor(digestOf("traced root"), 100);
      const trace = await hre.network.provider.send("debug_traceTransaction", [tx.hash]);
      const count = (op) => trace.structLogs.filter((step) => step.op === op).length;
      expect({ SLOAD: count("SLOAD"), SSTORE: count("SSTORE"), LOG3: count("LOG3") }).to.deep.equal({
        SLOAD: 2,
        SSTORE: 1,
        LOG3: 1,
      });
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
      for (const count of [1, 1_000, UINT32_MAX]) {
        const gas = await gasUsed(registry.connect(alpha).anchor(digestOf(`root of ${count}`), count));
        rows.push([`anchor, count ${count}`, gas, "-"]);
        expect(gas).to.be.at.most(ANCHOR_GAS_LIMIT);
      }
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

        const gas = await gasUsed(registry.connect(alpha).revoke(digest, tree.root, proof, "issued in error"));
        rows.push(["revoke, proof depth 17", gas, gas]);
        expect(gas).to.be.at.most(REVOKE_GAS_LIMIT);
        expect((await registry.verify(digest, tree.root, proof)).revokedAt).to.equal(await time.latest());
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
              .revokeMany(chosen, tree.root, multiProof.proof, multiProof.proofFlags, "issued in error"),
          );
          rows.push([`revokeMany, ${count} credentials`, gas, gas / BigInt(count)]);
          for (const digest of chosen) {
            expect(await registry.revokedAt(digest)).to.not.equal(0);
          }
        });
      }
    });
  });
});
