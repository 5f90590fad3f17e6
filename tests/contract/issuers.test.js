// Admitting and removing issuers, and reading them back.
const { expect } = require("chai");
const {
  verifyOf,
  OUTSIDER_KEY,
  MALLORY_KEY,
  ALPHA_KEY,
  keyOf,
  MAX_NAME_LENGTH,
  digestOf,
  utf8OfLength,
  included,
  nextBlockAt,
  deployFixture,
  issuersFixture,
  removedIssuerFixture,
  ethers,
  loadFixture,
  time,
} = require("./helpers");

describe("CredentialRegistry", function () {
  describe("addIssuer", function () {
    it("admits an issuer and records its name, time and signing key", async function () {
      const { registry, alpha } = await loadFixture(deployFixture);

      await expect(registry.addIssuer(alpha.address, "Alpha University", ALPHA_KEY))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, "Alpha University", ALPHA_KEY);

      expect([...(await registry.issuerOf(alpha.address))]).to.deep.equal([
        "Alpha University",
        BigInt(await time.latest()),
        0n,
        0n,
        ALPHA_KEY,
      ]);
    });

    it("refuses the zero signing key, and takes any other 32 bytes as they are", async function () {
      const { registry, alpha, mallory } = await loadFixture(deployFixture);
      await expect(
        registry.addIssuer(alpha.address, "Alpha University", ethers.ZeroHash),
      ).to.be.revertedWithCustomError(registry, "ZeroSigningKey");
      expect((await registry.issuerOf(alpha.address)).addedAt).to.equal(0);

      // The refusal left the account free: it is admitted with a real key afterwards.
      await registry.addIssuer(alpha.address, "Alpha University", ALPHA_KEY);
      expect((await registry.issuerOf(alpha.address)).signingKey).to.equal(ALPHA_KEY);
      // A key with only its last bit set, or every bit set, is still a key; the contract does not judge points.
      const lowest = ethers.toBeHex(1, 32);
      await registry.addIssuer(mallory.address, "Mallory Training Ltd", lowest);
      expect((await registry.issuerOf(mallory.address)).signingKey).to.equal(lowest);
      const highest = ethers.toBeHex(ethers.MaxUint256, 32);
      const gamma = ethers.getAddress(ethers.dataSlice(digestOf("gamma"), 12));
      await expect(registry.addIssuer(gamma, "Gamma College", highest))
        .to.emit(registry, "IssuerAdded")
        .withArgs(gamma, "Gamma College", highest);
    });

    it("lets two accounts share a key: the binding is from account to key", async function () {
      // One institution may run two accounts under one key; what a verifier checks is that the
      // account that anchored is bound to the key that signed, which still holds for each.
      const { registry, alpha, mallory } = await loadFixture(deployFixture);
      await registry.addIssuer(alpha.address, "Alpha University", ALPHA_KEY);
      await registry.addIssuer(mallory.address, "Alpha University, second account", ALPHA_KEY);
      expect((await registry.issuerOf(mallory.address)).signingKey).to.equal(ALPHA_KEY);
    });

    it("is for the operator only", async function () {
      const { registry, alpha, outsider } = await loadFixture(issuersFixture);
      await expect(registry.connect(alpha).addIssuer(outsider.address, "Outsider College", OUTSIDER_KEY))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(alpha.address);
      await expect(registry.connect(outsider).addIssuer(outsider.address, "Outsider College", OUTSIDER_KEY))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect((await registry.issuerOf(outsider.address)).addedAt).to.equal(0);
    });

    it("refuses the zero address", async function () {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(ethers.ZeroAddress, "Nobody", ALPHA_KEY)).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
    });

    it("needs a name of 1 to 256 bytes", async function () {
      const { registry, alpha, mallory } = await loadFixture(deployFixture);
      await expect(registry.addIssuer(alpha.address, "", ALPHA_KEY)).to.be.revertedWithCustomError(
        registry,
        "EmptyName",
      );
      await expect(registry.addIssuer(alpha.address, utf8OfLength(MAX_NAME_LENGTH + 1), ALPHA_KEY))
        .to.be.revertedWithCustomError(registry, "NameTooLong")
        .withArgs(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH);

      const longest = utf8OfLength(MAX_NAME_LENGTH);
      await expect(registry.addIssuer(alpha.address, longest, ALPHA_KEY))
        .to.emit(registry, "IssuerAdded")
        .withArgs(alpha.address, longest, ALPHA_KEY);
      await registry.addIssuer(mallory.address, "M", MALLORY_KEY);
      expect((await registry.issuerOf(alpha.address)).name).to.equal(longest);
      expect((await registry.issuerOf(mallory.address)).name).to.equal("M");
    });

    it("refuses an account that is already an issuer, with its key or another", async function () {
      const { registry, alpha } = await loadFixture(issuersFixture);
      for (const signingKey of [ALPHA_KEY, keyOf("Alpha University, new key")]) {
        await expect(registry.addIssuer(alpha.address, "Alpha Again", signingKey))
          .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
          .withArgs(alpha.address);
      }
      expect((await registry.issuerOf(alpha.address)).name).to.equal("Alpha University");
      expect((await registry.issuerOf(alpha.address)).signingKey).to.equal(ALPHA_KEY);
    });

    it("never admits a removed issuer again, so its key never changes", async function () {
      const { registry, alpha, tree, digests, anchoredAt } = await loadFixture(removedIssuerFixture);
      const before = [...(await registry.issuerOf(alpha.address))];
      for (const signingKey of [ALPHA_KEY, keyOf("Alpha University, new key")]) {
        await expect(registry.addIssuer(alpha.address, "Alpha University", signingKey))
          .to.be.revertedWithCustomError(registry, "IssuerAlreadyAdded")
          .withArgs(alpha.address);
      }
      expect([...(await registry.issuerOf(alpha.address))]).to.deep.equal(before);
      // Credentials signed before the removal still name the key they were signed with.
      expect(await verifyOf(registry, alpha, tree, digests[0])).to.deep.equal(included({ anchoredAt, count: 7 }));
    });

    it("admits a new key as a new account, leaving the old account and its key as they were", async function () {
      const { registry, alpha, outsider, tree, digests, anchoredAt } = await loadFixture(removedIssuerFixture);
      const newKey = keyOf("Alpha University, new key");
      await expect(registry.addIssuer(outsider.address, "Alpha University", newKey))
        .to.emit(registry, "IssuerAdded")
        .withArgs(outsider.address, "Alpha University", newKey);
      expect((await registry.issuerOf(outsider.address)).signingKey).to.equal(newKey);
      expect((await registry.issuerOf(alpha.address)).signingKey).to.equal(ALPHA_KEY);
      expect(await verifyOf(registry, alpha, tree, digests[0])).to.deep.equal(included({ anchoredAt, count: 7 }));
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
        ALPHA_KEY,
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
      expect([...(await registry.issuerOf(alpha.address))].slice(2, 4)).to.deep.equal([BigInt(now), BigInt(addedAt)]);
      const later = await nextBlockAt(5);
      await expect(registry.removeIssuer(mallory.address, later))
        .to.emit(registry, "IssuerRemoved")
        .withArgs(mallory.address, later);
      expect([...(await registry.issuerOf(mallory.address))].slice(2, 4)).to.deep.equal([
        BigInt(later),
        BigInt(later),
      ]);
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
      expect([...(await registry.issuerOf(alpha.address))].slice(1, 4)).to.deep.equal([
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
      expect([...(await registry.issuerOf(alpha.address))].slice(2, 4)).to.deep.equal([
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
      expect([...(await registry.issuerOf(outsider.address))]).to.deep.equal(["", 0n, 0n, 0n, ethers.ZeroHash]);
      expect([...(await registry.issuerOf(ethers.ZeroAddress))]).to.deep.equal(["", 0n, 0n, 0n, ethers.ZeroHash]);
    });

    it("returns each issuer's own key", async function () {
      const { registry, alpha, mallory } = await loadFixture(issuersFixture);
      expect((await registry.issuerOf(alpha.address)).signingKey).to.equal(ALPHA_KEY);
      expect((await registry.issuerOf(mallory.address)).signingKey).to.equal(MALLORY_KEY);
    });
  });
});
