// verify: one call that answers whether a credential is anchored, trusted and not revoked.
const { expect } = require("chai");
const {
  ALPHA_KEY,
  MALLORY_KEY,
  notAnchored,
  digestOf,
  digestsOf,
  batchTree,
  flipBit,
  verifyOf,
  included,
  issuersFixture,
  anchoredBatchFixture,
  ethers,
  loadFixture,
  time,
  StandardMerkleTree,
} = require("./helpers");

describe("CredentialRegistry", function () {
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
      const notIncluded = [false, BigInt(anchoredAt), 7n, true, 0n, ALPHA_KEY];
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

    it("answers zeros and the issuer's key for a root the issuer did not anchor, even with a valid proof", async function () {
      const { registry, alpha, mallory, outsider, tree, digests } = await loadFixture(anchoredBatchFixture);
      const other = batchTree(digestsOf("never anchored", 3));
      expect(await verifyOf(registry, alpha, other, other.at(0)[0], other.getProof(0))).to.deep.equal(
        notAnchored(ALPHA_KEY),
      );
      expect(await verifyOf(registry, mallory, tree, digests[0])).to.deep.equal(notAnchored(MALLORY_KEY));
      for (const stranger of [outsider, ethers.ZeroAddress]) {
        expect(await verifyOf(registry, stranger, tree, digests[0])).to.deep.equal(notAnchored());
      }
    });

    it("returns the key bound to the issuer that anchored, not any other", async function () {
      const { registry, alpha, mallory, tree, digests, anchoredAt } = await loadFixture(anchoredBatchFixture);
      // Mallory anchors the same root: her answer carries her key, alpha's carries alpha's.
      await registry.connect(mallory).anchor(tree.root, 7);
      const malloryAt = await time.latest();
      expect((await verifyOf(registry, alpha, tree, digests[0]))[5]).to.equal(ALPHA_KEY);
      expect(await verifyOf(registry, mallory, tree, digests[0])).to.deep.equal(
        included({ anchoredAt: malloryAt, count: 7, signingKey: MALLORY_KEY }),
      );
      // A removal, even one that voids the anchor, leaves the key in the answer.
      await time.increase(10);
      await registry.removeIssuer(alpha.address, anchoredAt - 1);
      expect(await verifyOf(registry, alpha, tree, digests[0])).to.deep.equal(
        included({ anchoredAt, count: 7, trusted: false }),
      );
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
});
