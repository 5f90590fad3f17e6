using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Interop;

/// <summary>
/// How <c>POST /credentials/verify</c> recognises a credential of this registry whatever its <c>id</c> (real HTTP, real node, each
/// store): one issued through <c>POST /credentials/issue</c> with an id of the issuer's own, or with the id of another credential
/// of the registry, is found by the status index its status list entry names and confirmed by its digest, so the answer says
/// its anchoring is pending, then anchored, and that it was revoked. A copy changed and signed again by the issuer's own key, a
/// credential that names another's status index or this registry's lists on another host, and status entries that name no
/// index at all are not the registry's: verified by their signature alone, never a server error.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class OwnCredentialRecognitionTests(SharedRegistry registry)
{
    [Theory]
    [InlineData("https://example.edu/credentials/")]
    [InlineData("urn:uuid:")]
    public async Task A_credential_issued_with_an_id_of_its_own_is_pending_then_anchored_then_revoked(string idPrefix)
    {
        var (issuer, client) = await registry.App.AddIssuerAsync("Own Id College");
        var ownId = idPrefix + Guid.NewGuid();
        var submitted = Samples.Badge("did:example:own-id");
        submitted["id"] = ownId;
        var (issued, record) = await client.VcApiIssueAsync(submitted);
        Assert.Equal(ownId, issued["id"]!.GetValue<string>());

        var pending = await registry.App.VcApiVerifiedAsync(issued);
        Assert.Equal("pending", pending["anchoring"]!.GetValue<string>());
        Assert.Contains(Warnings(pending), w => w.StartsWith("Anchoring pending", StringComparison.Ordinal));
        // Changed: the signature fails. Changed and signed again with the issuer's own key: the signature holds, but the
        // registry issued no such credential.
        var changed = (JsonObject)issued.DeepClone();
        changed["credentialSubject"]!["name"] = "Mallory";
        Assert.Equal("signature", await registry.App.VcApiRefusedCheckAsync(changed));
        var resigned = Resigned(issued, registry.App.SigningKeyOf(issuer), c => c["credentialSubject"]!["name"] = "Mallory");
        AssertNotOurs(await registry.App.VcApiVerifiedAsync(resigned));

        await client.SealAndAnchorAsync();
        var anchored = await registry.App.VcApiVerifiedAsync(issued);
        Assert.Equal("anchored", anchored["anchoring"]!.GetValue<string>());
        Assert.Contains(Warnings(anchored), w => w.Contains($"/credentials/{record}/credential.json", StringComparison.Ordinal));
        var portable = await client.PortableAsync(record);
        Assert.Equal(ownId, portable["id"]!.GetValue<string>());
        Assert.Equal("signature-and-chain", (await registry.App.VcApiVerifiedAsync(portable))["evidence"]!.GetValue<string>());

        var revoke = await client.PostAsJsonAsync($"/credentials/{record}/revoke", new { reason = "Awarded in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoke.StatusCode);
        var (status, refusal) = await Eventually.GetAsync(() => registry.App.VcApiVerifyAsync(issued),
            answer => answer.Status != HttpStatusCode.OK, "the signed copy to be refused as revoked");
        Assert.True(status == HttpStatusCode.BadRequest, refusal.ToJsonString());
        Assert.Equal("revocation", refusal["check"]!.GetValue<string>());
        Assert.Contains("Awarded in error", refusal["detail"]!.GetValue<string>());
        // The copy signed again is still no credential of the registry's, revoked or not.
        AssertNotOurs(await registry.App.VcApiVerifiedAsync(resigned));
    }

    [Fact]
    public async Task A_credential_issued_with_the_id_of_another_of_the_registry_s_is_recognised_as_itself()
    {
        var (_, client) = await registry.App.AddIssuerAsync("Namesake College");
        var (first, firstRecord) = await client.VcApiIssueAsync(Samples.Badge("did:example:first-holder"));
        var submitted = Samples.Badge("did:example:second-holder");
        submitted["id"] = first["id"]!.DeepClone();
        var (namesake, namesakeRecord) = await client.VcApiIssueAsync(submitted);
        Assert.Equal($"urn:uuid:{firstRecord}", namesake["id"]!.GetValue<string>());
        Assert.Equal("pending", (await registry.App.VcApiVerifiedAsync(namesake))["anchoring"]!.GetValue<string>());

        await client.SealAndAnchorAsync();
        foreach (var (credential, record) in new[] { (first, firstRecord), (namesake, namesakeRecord) })
        {
            var verdict = await registry.App.VcApiVerifiedAsync(credential);
            Assert.Equal("anchored", verdict["anchoring"]!.GetValue<string>());
            Assert.Contains(Warnings(verdict), w => w.Contains($"/credentials/{record}/credential.json", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_credential_that_names_another_s_status_index_or_the_registry_s_lists_elsewhere_is_not_the_registry_s()
    {
        var (owner, ownerClient) = await registry.App.AddIssuerAsync("Status Owner College");
        var (borrower, borrowerClient) = await registry.App.AddIssuerAsync("Status Borrower College");
        var (owned, _) = await ownerClient.VcApiIssueAsync(WithOwnId(Samples.Badge("did:example:owned")));
        var (borrowed, _) = await borrowerClient.VcApiIssueAsync(WithOwnId(Samples.Badge("did:example:borrowed")));
        Assert.Equal("pending", (await registry.App.VcApiVerifiedAsync(owned))["anchoring"]!.GetValue<string>());
        Assert.Equal("pending", (await registry.App.VcApiVerifiedAsync(borrowed))["anchoring"]!.GetValue<string>());

        var ownersEntry = owned["credentialStatus"]![0]!.AsObject();
        var listUrl = new Uri(ownersEntry["statusListCredential"]!.GetValue<string>());
        var index = ownersEntry["statusListIndex"]!.GetValue<string>();
        var stranger = Ed25519Keys.Generate();
        var strangerDid = DidKey.For(stranger.PublicKey);
        var notOurs = new Dictionary<string, JsonObject>
        {
            // Another issuer's credential naming the owner's status entry, signed by that other issuer.
            ["another issuer's index"] = Resigned(borrowed, registry.App.SigningKeyOf(borrower), c => c["credentialStatus"]![0] = ownersEntry.DeepClone()),
            // The owner's credential with its list on another host, signed again by the owner.
            ["another host"] = Resigned(owned, registry.App.SigningKeyOf(owner),
                c => c["credentialStatus"]![0] = Entry(new UriBuilder(listUrl) { Scheme = "https", Host = "registry.example.org", Port = -1 }.Uri.AbsoluteUri, index)),
            // The owner's credential word for word, but issued and signed by a did:key the registry does not know.
            ["another issuer"] = Resigned(owned, stranger, c => c["issuer"]!["id"] = strangerDid),
            // Entries that name no index of the registry's: an issuer id that is no id, a list beyond any index, an unused index, one object.
            ["no issuer id"] = Resigned(owned, stranger, c =>
            {
                c["issuer"]!["id"] = strangerDid;
                c["credentialStatus"]![0] = Entry(new Uri(listUrl, "/status/%00/0").AbsoluteUri, index);
            }),
            ["no list"] = Resigned(owned, stranger, c =>
            {
                c["issuer"]!["id"] = strangerDid;
                c["credentialStatus"]![0] = Entry(new Uri(listUrl, $"/status/{owner.Id}/999999999999999999").AbsoluteUri, index);
            }),
            ["an unused index"] = Resigned(owned, stranger, c =>
            {
                c["issuer"]!["id"] = strangerDid;
                c["credentialStatus"]![0] = Entry(listUrl.AbsoluteUri, "131071");
            }),
            ["one object"] = Resigned(owned, stranger, c =>
            {
                c["issuer"]!["id"] = strangerDid;
                c["credentialStatus"] = ownersEntry.DeepClone();
            }),
        };
        foreach (var (name, credential) in notOurs)
        {
            var (status, verdict) = await registry.App.VcApiVerifyAsync(credential);
            Assert.True(status == HttpStatusCode.OK, $"{name}: {verdict.ToJsonString()}");
            AssertNotOurs(verdict, name);
        }
        // The owner's credential as issued is still the registry's.
        Assert.Equal("pending", (await registry.App.VcApiVerifiedAsync(owned))["anchoring"]!.GetValue<string>());
    }

    /// <summary>A verdict on a credential the registry does not take as its own: verified by its signature, no anchoring, its status unchecked.</summary>
    private static void AssertNotOurs(JsonObject verdict, string? name = null)
    {
        Assert.True(verdict["anchoring"] is null, $"{name}: {verdict.ToJsonString()}");
        Assert.Equal("signature", verdict["evidence"]!.GetValue<string>());
        Assert.Contains(Warnings(verdict), w => w.Contains("is not checked by this verifier", StringComparison.Ordinal));
    }

    private static JsonObject WithOwnId(JsonObject credential)
    {
        credential["id"] = $"https://example.edu/credentials/{Guid.NewGuid()}";
        return credential;
    }

    /// <summary>A Bitstring Status List entry naming the list at <paramref name="listUrl"/> and the position <paramref name="index"/>.</summary>
    private static JsonObject Entry(string listUrl, string index) => new StatusListEntry(listUrl, int.Parse(index)).ToJson();

    /// <summary>A copy of the credential changed by <paramref name="change"/> and signed by <paramref name="key"/> instead of its issuer's proof.</summary>
    private static JsonObject Resigned(JsonObject credential, Ed25519KeyPair key, Action<JsonObject> change)
    {
        var copy = PortableCredential.WithoutProof(credential);
        change(copy);
        return EddsaRdfc2022.Sign(copy, key, DateTimeOffset.UtcNow);
    }

    private static IEnumerable<string> Warnings(JsonObject verdict) => verdict["warnings"]!.AsArray().Select(w => w!.GetValue<string>());
}
