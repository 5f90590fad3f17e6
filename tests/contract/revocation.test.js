// Revocation by the issuer, one at a time and by multiproof, by the operator for an issuer, and reading it back.
const { expect } = require("chai");
const {
  hre,
  MAX_REASON_LENGTH,
  digestOf,
  digestsOf,
  batchTree,
  multiProofDigests,
  proofOf,
  multiProofArgs,
  flipBit,
  utf8OfLength,
  mined,
  verifyOf,
  included,
  revocationOf,
  revokedLogsAt,
  inOneBlock,
  nextBlockAt,
  issuersFixture,
  anchoredBatchFixture,
  removedIssuerFixture,
  ethers,
  loadFixture,
  time,
  StandardMerkleTree,
} = require("./helpers");

describe("CredentialRegistry", function () {
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
});
