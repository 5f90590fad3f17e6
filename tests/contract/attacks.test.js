// The attacks version 2 stops, made for real by a second admitted account.
const { expect } = require("chai");
const {
  hre,
  GWEI,
  ALPHA_KEY,
  MALLORY_KEY,
  notAnchored,
  digestOf,
  digestsOf,
  batchTree,
  proofOf,
  multiProofArgs,
  mined,
  verifyOf,
  included,
  revocationOf,
  revokedLogsAt,
  setAutomine,
  issuersFixture,
  anchoredBatchFixture,
  ethers,
  loadFixture,
  time,
} = require("./helpers");

describe("CredentialRegistry", function () {
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
      await forgedRegistry.connect(mallory).addIssuer(mallory.address, "Alpha University", ALPHA_KEY);
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
      expect(await verifyOf(registry, mallory, tree, digest)).to.deep.equal(notAnchored(MALLORY_KEY));
      expect(await verifyOf(registry, victim, tree, digest)).to.deep.equal(notAnchored(ALPHA_KEY));
      expect([...(await registry.anchorOf(mallory.address, tree.root))]).to.deep.equal([0n, 0n]);
      expect((await registry.issuerOf(mallory.address)).name).to.equal("Mallory Training Ltd");
    });
  });
});
