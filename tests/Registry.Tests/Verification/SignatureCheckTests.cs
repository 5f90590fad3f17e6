using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Registry.Chain;
using Registry.Credentials;
using Registry.Identity;
using Registry.Merkle;
using Registry.Signatures;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>
/// The issuer's signature beside the anchor: an issued credential carries both proofs and verifies with
/// <c>signature</c> passed; a signature that is not the issuer's key's fails; a key the chain does not bind
/// to the anchoring account fails at <c>issuer</c>; and the verdict names the issuer by the chain's name,
/// never by the document's <c>issuer.name</c>.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class SignatureCheckTests(SharedRegistry registry)
{
    [Fact]
    public async Task An_issued_credential_carries_both_proofs_and_verifies_with_its_signature_checked()
    {
        var portable = registry.CopyOfPortable();
        var proofs = portable["proof"]!.AsArray();
        Assert.Equal(2, proofs.Count);
        Assert.Equal(AnchorProof.ProofType, portable.AnchorProof()["type"]!.GetValue<string>());
        Assert.Equal($"{registry.Issuer.Did}#blockchainAccountId", portable.AnchorProof()["verificationMethod"]!.GetValue<string>());
        var signature = portable.SignatureProof();
        Assert.Equal(["created", "cryptosuite", "proofPurpose", "proofValue", "type", "verificationMethod"], signature.Select(p => p.Key).Order());
        Assert.Equal(EddsaRdfc2022.Cryptosuite, signature["cryptosuite"]!.GetValue<string>());
        Assert.Equal(EddsaRdfc2022.AssertionMethod, signature["proofPurpose"]!.GetValue<string>());
        Assert.Equal(ProofSet.VerificationMethodOf(registry.Issuer.DidKey), signature["verificationMethod"]!.GetValue<string>());
        Assert.Equal(registry.Issuer.DidKey, portable["issuer"]!["id"]!.GetValue<string>());

        // The signature verifies on its own, with the key of the issuer's did:key.
        Assert.True(EddsaRdfc2022.Verify(portable, expectedPublicKey: DidKey.Resolve(registry.Issuer.DidKey).PublicKey).Verified);

        var result = await registry.App.VerifyAsync(portable);
        Assert.True(result["verified"]!.GetValue<bool>(), result.ToJsonString());
        var check = result["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "signature")!;
        Assert.Equal("passed", check["status"]!.GetValue<string>());
        Assert.Contains(registry.Issuer.DidKey, check["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_credential_is_handed_out_with_the_same_signature_every_time()
    {
        var first = await registry.IssuerClient.PortableAsync(registry.CredentialIds[1]);
        var second = await registry.IssuerClient.PortableAsync(registry.CredentialIds[1]);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        // created is the moment of issuance, to the second, not the moment of hand-out.
        await Task.Delay(1100);
        var later = await registry.IssuerClient.PortableAsync(registry.CredentialIds[1]);
        Assert.Equal(first.SignatureProof().ToJsonString(), later.SignatureProof().ToJsonString());
    }

    [Fact]
    public async Task A_changed_subject_name_fails_at_digest_and_a_signature_made_again_by_the_issuer_does_not_help()
    {
        var changed = registry.CopyOfPortable();
        changed["credentialSubject"]!["name"] = "Mallory";
        Assert.Equal("digest", (await registry.App.VerifyAsync(changed)).FailedCheck()!["name"]!.GetValue<string>());

        // Even the issuer's own key cannot change an anchored credential: the digest still tells.
        var resigned = changed.Resigned(registry.App.SigningKeyOf(registry.Issuer));
        Assert.Equal("digest", (await registry.App.VerifyAsync(resigned)).FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signature_by_the_key_of_another_issuer_of_the_registry_fails()
    {
        var other = await registry.App.CreateIssuerAsync("Other College");
        var otherKey = registry.App.SigningKeyOf(other);

        // The signature replaced by one the other issuer's key made over this very credential.
        var swapped = registry.CopyOfPortable();
        swapped["proof"]![1] = EddsaRdfc2022.CreateProof(PortableCredential.WithoutProof(swapped), otherKey, DateTimeOffset.UnixEpoch);
        var wrongKey = await registry.App.VerifyAsync(swapped);
        Assert.Equal("format", wrongKey.FailedCheck()!["name"]!.GetValue<string>());
        swapped.SignatureProof()["verificationMethod"] = ProofSet.VerificationMethodOf(registry.Issuer.DidKey);
        var mislabelled = await registry.App.VerifyAsync(swapped);
        Assert.Equal("signature", mislabelled.FailedCheck()!["name"]!.GetValue<string>());

        // The issuer changed to the other issuer's did:key and signed again with its key: the anchored digest tells.
        var claimed = registry.CopyOfPortable();
        claimed["issuer"]!["id"] = other.DidKey;
        var result = await registry.App.VerifyAsync(claimed.Resigned(otherKey));
        Assert.False(result["verified"]!.GetValue<bool>());
        Assert.Equal("digest", result.FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signing_key_the_chain_does_not_bind_to_the_anchoring_account_fails_at_issuer()
    {
        // The registry's issuer's signing key, in the hands of an admitted account that is not the issuer's:
        // the credential is signed by that key and anchored by that account.
        var stolenKey = registry.App.SigningKeyOf(registry.Issuer);
        var account = await AdmittedAccountAsync("Thief Institute", SigningKeys.NewPublicKey());
        var credential = await AnchoredAsync(account, registry.Issuer.DidKey, "Open University of Testing", stolenKey);

        var result = await registry.App.VerifyAsync(credential);

        Assert.False(result["verified"]!.GetValue<bool>());
        var failed = result.FailedCheck()!;
        Assert.Equal("issuer", failed["name"]!.GetValue<string>());
        Assert.Contains(account.Did.ToString(), failed["message"]!.GetValue<string>());
        Assert.Contains(registry.Issuer.DidKey, failed["message"]!.GetValue<string>());
        Assert.All(result["checks"]!.AsArray().TakeWhile(c => c!["name"]!.GetValue<string>() != "issuer"),
            c => Assert.Equal("passed", c!["status"]!.GetValue<string>()));
        // The chain's name is not given to a credential whose key is not the account's.
        Assert.Null(result["issuer"]);
    }

    [Fact]
    public async Task The_verdict_names_the_issuer_as_the_chain_does_whatever_the_document_claims()
    {
        // An admitted account with its own key issues outside the registry, claiming a famous name.
        var key = Ed25519Keys.Generate();
        var account = await AdmittedAccountAsync("Small Training Co", Registry.Hashing.Bytes32.FromSpan(key.PublicKey));
        var credential = await AnchoredAsync(account, DidKey.For(key.PublicKey), "Famous University", key);

        var result = await registry.App.VerifyAsync(credential);

        Assert.True(result["verified"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal("Small Training Co", result["issuer"]!.GetValue<string>());
        Assert.Equal(DidKey.For(key.PublicKey), result["issuerId"]!.GetValue<string>());
        Assert.Equal(account.Did.ToString(), result["issuerAccount"]!.GetValue<string>());
        Assert.DoesNotContain("Famous University", result["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_context_the_registry_does_not_hold_is_refused_at_submission_since_the_credential_could_not_be_signed()
    {
        var badge = Samples.Badge();
        badge["@context"]!.AsArray().Add("https://example.org/my-terms.jsonld");
        var errors = await ProblemTests.ExpectValidationAsync(await registry.IssuerClient.PostAsJsonAsync("/credentials", badge));
        Assert.True(errors.ContainsKey("/@context/2"), errors.ToJsonString());
    }

    [Fact]
    public async Task The_documented_example_passes_every_check_that_needs_no_chain()
    {
        // docs/examples/portable-credential.json, from the README's walk-through: its chain is gone, so with
        // nothing trusted it stops at registry, after format, digest, signature and merkle passed.
        var file = Path.Combine(RepositoryRoot.Path, "docs", "examples", "portable-credential.json");
        var report = await new CredentialVerifier(new TrustedRegistries(new HttpClient(), [])).VerifyAsync(await File.ReadAllBytesAsync(file));
        Assert.Equal(["passed", "passed", "passed", "passed", "failed"], report.Checks.Take(5).Select(c => VerificationWords.Of(c.Status)));
        Assert.Equal("registry", report.FirstFailure!.Name);
    }

    private sealed record Account(RegistryWriter Writer, IssuerDid Did, ChainConnection Connection);

    /// <summary>A new account the operator admits with <paramref name="signingKey"/> bound to it, and funds.</summary>
    private async Task<Account> AdmittedAccountAsync(string name, Registry.Hashing.Bytes32 signingKey)
    {
        var connection = new ChainConnection(registry.Node.RpcUrl);
        var privateKey = "0x" + EthECKey.GenerateKey().GetPrivateKey().TrimStart('0', 'x').PadLeft(64, '0');
        var operatorWriter = new RegistryWriter(connection, DevelopmentChain.OperatorKey, DevelopmentChain.ChainId, registry.Contract);
        var writer = new RegistryWriter(connection, privateKey, DevelopmentChain.ChainId, registry.Contract);
        await operatorWriter.AddIssuerAsync(writer.Address, name, signingKey);
        await operatorWriter.FundAsync(writer.Address, 1m);
        return new Account(writer, IssuerDid.For(DevelopmentChain.ChainId, writer.Address), connection);
    }

    /// <summary>
    /// A badge whose issuer is <paramref name="issuerId"/> named <paramref name="claimedName"/>, anchored by
    /// <paramref name="account"/> in a batch of two, and signed by <paramref name="key"/>: the whole portable credential.
    /// </summary>
    private async Task<JsonObject> AnchoredAsync(Account account, string issuerId, string claimedName, Ed25519KeyPair key)
    {
        var credential = Samples.Badge("did:example:outsider");
        RegistryFields.Apply(credential, $"urn:uuid:{Guid.NewGuid()}", new IssuerProfileFields(issuerId, claimedName),
            Samples.StatusListEntry(), CredentialStatusEntry.For(account.Did, registry.Contract));
        var salt = CredentialDigest.NewSalt();
        var digest = CredentialDigest.Compute(salt, credential);
        var tree = MerkleTree.Build([digest, CredentialDigest.NewSalt()]);
        var transaction = await account.Writer.SendAnchorAsync(account.Connection, tree.Root, 2);
        var mined = await account.Connection.GetMinedAsync(transaction);
        var anchoredAt = (await account.Connection.ContractReader(registry.Contract).GetAnchorAsync(account.Writer.Address, tree.Root))!.AnchoredAt;
        var index = tree.TryIndexOf(digest, out var at) ? at : throw new InvalidOperationException("the digest is not in its tree");
        var anchor = new AnchorProof(account.Did.VerificationMethod, anchoredAt, salt, digest, tree.Root, tree.GetProof(index),
            new AnchorLocation(DevelopmentChain.ChainId, registry.Contract, transaction, mined!.BlockNumber, BatchIds.For(account.Writer.Address, tree.Root)));
        return PortableCredential.Sign(credential, anchor, key, anchoredAt.AddSeconds(-2));
    }
}
