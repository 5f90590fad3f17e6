// Anchoring batch roots, and reading anchors back.
const { expect } = require("chai");
const {
  UINT32_MAX,
  digestOf,
  issuersFixture,
  anchoredBatchFixture,
  removedIssuerFixture,
  ethers,
  loadFixture,
  time,
} = require("./helpers");

describe("CredentialRegistry", function () {
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
});
