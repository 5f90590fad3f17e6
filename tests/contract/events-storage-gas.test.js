// One event per change, the storage layout, and the gas each call costs.
const { expect } = require("chai");
const {
  keyOf,
  hre,
  ANCHOR_GAS_LIMIT,
  REVOKE_GAS_LIMIT,
  UINT32_MAX,
  digestOf,
  digestsOf,
  batchTree,
  multiProofDigests,
  proofOf,
  multiProofArgs,
  gasUsed,
  revocationOf,
  eventNames,
  issuersFixture,
  anchoredBatchFixture,
  ethers,
  loadFixture,
  time,
} = require("./helpers");

describe("CredentialRegistry", function () {
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
      await emits(registry.addIssuer(gamma, "Gamma College", keyOf("Gamma College")), ["IssuerAdded"]);
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
      // The signing key follows the timestamps, so that anchoring and revoking never read its slot.
      expect(structOf(layout, "_issuers")).to.deep.equal({
        size: 96,
        members: [
          ["addedAt", "uint64", 0, 0],
          ["removedAt", "uint64", 0, 8],
          ["trustedUntil", "uint64", 0, 16],
          ["signingKey", "bytes32", 1, 0],
          ["name", "string", 2, 0],
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
