// Admitting and removing issuers, and reading them back.
const { expect } = require("chai");
const {
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
});
