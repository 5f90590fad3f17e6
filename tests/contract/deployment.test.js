// The deployment and the operator: version, errors and events declared, ownership.
const { expect } = require("chai");
const {
  OUTSIDER_KEY,
  VERSION,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
  deployFixture,
  anchoredBatchFixture,
  ethers,
  loadFixture,
  time,
} = require("./helpers");

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
          "ZeroSigningKey",
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
      await expect(registry.connect(nextOperator).addIssuer(outsider.address, "Outsider College", OUTSIDER_KEY))
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
      await expect(registry.connect(operator).addIssuer(outsider.address, "Outsider College", OUTSIDER_KEY))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
      await expect(registry.connect(operator).removeIssuer(alpha.address, now))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
      await expect(registry.connect(nextOperator).addIssuer(outsider.address, "Outsider College", OUTSIDER_KEY))
        .to.emit(registry, "IssuerAdded")
        .withArgs(outsider.address, "Outsider College", OUTSIDER_KEY);
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
});
