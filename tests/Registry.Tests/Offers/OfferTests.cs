using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Offers;

/// <summary>
/// Offers delivered into a wallet over real HTTP: an issuer offers a credential without its subject's id, a wallet (here a
/// did:key signing with <c>Ed25519Signature2020</c>, as the Learner Credential Wallet does) runs the VC API exchange and
/// receives the credential issued to its DID, signed at once and anchored later; every way a claim can go wrong is refused
/// with the check or the reason named, and of two claims at once exactly one wins.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class OfferTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_wallet_claims_an_offer_and_receives_the_credential_issued_to_its_did_then_anchored()
    {
        var (issuer, client) = await registry.App.AddIssuerAsync("Offer College");
        var offer = await OfferAsync(client);
        Assert.Matches("^[0-9a-f]{32}$", offer["id"]!.GetValue<string>());
        Assert.Equal("open", offer["state"]!.GetValue<string>());
        Assert.StartsWith("<svg", offer["qr"]!.GetValue<string>());
        var url = offer["url"]!.GetValue<string>();
        // The wallet's link names the exchange in protocols.vcapi, as the Learner Credential Wallet reads it.
        var deepLink = offer["deepLink"]!.GetValue<string>();
        Assert.StartsWith("https://lcw.app/mobile?request=", deepLink);
        var request = JsonNode.Parse(Uri.UnescapeDataString(deepLink["https://lcw.app/mobile?request=".Length..]))!;
        Assert.Equal(url, request["protocols"]!["vcapi"]!.GetValue<string>());

        // The interaction URL answers a wallet with the exchange to use.
        var interaction = await Anyone().GetFromJsonAsync<JsonObject>(PathOf(url));
        Assert.Equal(url, interaction!["protocols"]!["vcapi"]!.GetValue<string>());

        var wallet = Ed25519Keys.Generate();
        var did = DidKey.For(wallet.PublicKey);
        var asked = await AskAsync(url);
        var vpr = asked["verifiablePresentationRequest"]!;
        Assert.Equal("DIDAuthentication", vpr["query"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(url, vpr["interact"]!["service"]![0]!["serviceEndpoint"]!.GetValue<string>());

        var answer = await Anyone().PostAsJsonAsync(PathOf(url), Presentation(wallet, vpr));
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var credential = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["verifiablePresentation"]!["verifiableCredential"]![0]!.AsObject();
        Assert.Equal(did, credential["credentialSubject"]!["id"]!.GetValue<string>());
        Assert.Equal(issuer.DidKey, credential["issuer"]!["id"]!.GetValue<string>());
        Assert.True(EddsaRdfc2022.Verify(credential).Verified);
        var verdict = await VerifyOkAsync(credential);
        Assert.Equal("pending", verdict["anchoring"]!.GetValue<string>());

        var claimed = await client.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}");
        Assert.Equal("claimed", claimed!["state"]!.GetValue<string>());
        Assert.Equal(did, claimed["holder"]!.GetValue<string>());
        var credentialId = claimed["credentialId"]!.GetValue<string>();
        Assert.Equal($"urn:uuid:{credentialId}", credential["id"]!.GetValue<string>());
        var listed = await client.GetFromJsonAsync<JsonArray>("/offers");
        Assert.Equal("claimed", listed!.Single(o => o!["id"]!.GetValue<string>() == offer["id"]!.GetValue<string>())!["state"]!.GetValue<string>());

        // Not anchored yet: the wallet's later fetch says so; once anchored, it is the same credential with the anchor proof added.
        var early = await Anyone().GetAsync(PathOf(url) + "/credential.json");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var anchored = await AnchoredFetchAsync(client, url, credential, credentialId);
        Assert.True((await registry.App.VerifyAsync(anchored))["verified"]!.GetValue<bool>());
    }

    /// <summary>An id of the issuer's own, as long as a URL or shorter than <c>urn:uuid:</c>.</summary>
    [Theory]
    [InlineData("https://example.edu/credentials/3732")]
    [InlineData("urn:x")]
    public async Task An_offered_credential_with_an_id_of_the_issuer_s_own_is_claimed_under_its_record_and_fetched_once_anchored(string ownId)
    {
        var (_, client) = await registry.App.AddIssuerAsync("Own Id Offer College");
        var offered = WithoutSubjectId(Samples.Badge());
        offered["id"] = ownId;
        var offer = await OfferAsync(client, offered);
        var url = offer["url"]!.GetValue<string>();
        var vpr = (await AskAsync(url))["verifiablePresentationRequest"]!;
        var answer = await Anyone().PostAsJsonAsync(PathOf(url), Presentation(Ed25519Keys.Generate(), vpr));
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var credential = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["verifiablePresentation"]!["verifiableCredential"]![0]!.AsObject();
        Assert.Equal(ownId, credential["id"]!.GetValue<string>());
        Assert.Equal("pending", (await VerifyOkAsync(credential))["anchoring"]!.GetValue<string>());

        // The offer names the credential's record, whose routes find it, and so does the wallet's later fetch.
        var credentialId = (await client.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}"))!["credentialId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/credentials/{credentialId}")).StatusCode);
        await AnchoredFetchAsync(client, url, credential, credentialId);
        Assert.Equal("anchored", (await VerifyOkAsync(credential))["anchoring"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replayed_presentation_a_second_claim_and_a_foreign_challenge_are_refused_naming_the_reason()
    {
        var client = registry.IssuerClient;
        var url = (await OfferAsync(client))["url"]!.GetValue<string>();
        var otherUrl = (await OfferAsync(client))["url"]!.GetValue<string>();
        var wallet = Ed25519Keys.Generate();
        var vpr = (await AskAsync(url))["verifiablePresentationRequest"]!;
        var otherVpr = (await AskAsync(otherUrl))["verifiablePresentationRequest"]!;

        // A challenge another exchange issued, a wrong domain, a changed presentation, a proof for assertion: each refused by its check.
        Assert.Equal("challenge", await RefusedCheckAsync(url, Presentation(wallet, otherVpr)));
        Assert.Equal("domain", await RefusedCheckAsync(url, Presentation(wallet, vpr, domain: "wallet-phisher.example")));
        var changed = Presentation(wallet, vpr);
        changed["verifiablePresentation"]!["holder"] = DidKey.For(Ed25519Keys.Generate().PublicKey);
        Assert.Equal("signature", await RefusedCheckAsync(url, changed));
        Assert.Equal("signature", await RefusedCheckAsync(url, Presentation(wallet, vpr, purpose: "assertionMethod")));
        var unsigned = Presentation(wallet, vpr);
        unsigned["verifiablePresentation"]!.AsObject().Remove("proof");
        Assert.Equal("proof", await RefusedCheckAsync(url, unsigned));

        var claim = Presentation(wallet, vpr);
        var first = await Anyone().PostAsJsonAsync(PathOf(url), claim);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("replayed", await RefusedReasonAsync(url, claim));
        // Another wallet, asking afresh: the offer is claimed.
        var late = await Anyone().PostAsJsonAsync(PathOf(url), new JsonObject());
        Assert.Equal("claimed", await ReasonOfAsync(late));
        Assert.Equal("claimed", await RefusedReasonAsync(url, Presentation(Ed25519Keys.Generate(), vpr)));

        var unknown = await Anyone().PostAsJsonAsync("/exchanges/" + new string('0', 32), new JsonObject());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_expired_offer_is_refused_and_shows_expired()
    {
        var client = registry.IssuerClient;
        var offer = await OfferAsync(client);
        var url = offer["url"]!.GetValue<string>();
        var vpr = (await AskAsync(url))["verifiablePresentationRequest"]!;
        var claim = Presentation(Ed25519Keys.Generate(), vpr);
        // Seven days by default (REGISTRY_OFFER_DAYS).
        using (registry.App.Clock.AdvanceFor(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1)))
        {
            Assert.Equal("expired", await RefusedReasonAsync(url, claim));
            Assert.Equal("expired", await ReasonOfAsync(await Anyone().PostAsJsonAsync(PathOf(url), new JsonObject())));
            Assert.Equal("expired", (await client.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}"))!["state"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Of_two_claims_at_once_exactly_one_wins()
    {
        var client = registry.IssuerClient;
        for (var round = 0; round < 5; round++)
        {
            var offer = await OfferAsync(client);
            var url = offer["url"]!.GetValue<string>();
            var vpr = (await AskAsync(url))["verifiablePresentationRequest"]!;
            var claims = Enumerable.Range(0, 2).Select(_ => Presentation(Ed25519Keys.Generate(), vpr)).ToList();
            var answers = await Task.WhenAll(claims.Select(c => Anyone().PostAsJsonAsync(PathOf(url), c)));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("claimed", await ReasonOfAsync(loser));
            var winner = (await answers.Single(a => a.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonObject>())!;
            var holder = winner["verifiablePresentation"]!["verifiableCredential"]![0]!["credentialSubject"]!["id"]!.GetValue<string>();
            Assert.Equal(holder, (await client.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}"))!["holder"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_offer_is_refused_with_a_subject_id_or_an_invalid_credential_and_other_issuers_do_not_see_it()
    {
        var client = registry.IssuerClient;
        var withId = await client.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = Samples.Badge() });
        Assert.Equal(HttpStatusCode.BadRequest, withId.StatusCode);
        Assert.Contains("/credential/credentialSubject/id", await withId.Content.ReadAsStringAsync());
        var invalid = WithoutSubjectId(Samples.Badge());
        invalid.Remove("validFrom");
        invalid["credentialSubject"]!["achievement"]!.AsObject().Remove("name");
        var refused = await client.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = invalid });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var offer = await OfferAsync(client);
        var (_, other) = await registry.App.AddIssuerAsync("Other Offer College");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/offers/{offer["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anyone().GetAsync($"/offers/{offer["id"]}")).StatusCode);
        Assert.Equal("image/svg+xml", (await client.GetAsync($"/offers/{offer["id"]}/qr.svg")).Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_wallet_s_presentation_verifies_at_the_vc_api_with_its_challenge_and_domain()
    {
        var vpr = new JsonObject { ["challenge"] = "9c1e5a", ["domain"] = "verifier.example" };
        var body = Presentation(Ed25519Keys.Generate(), vpr);
        var options = new JsonObject { ["challenge"] = "9c1e5a", ["domain"] = "verifier.example" };
        var verified = await Anyone().PostAsJsonAsync("/presentations/verify", new JsonObject { ["verifiablePresentation"] = body["verifiablePresentation"]!.DeepClone(), ["options"] = options });
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        Assert.Equal(body["verifiablePresentation"]!["holder"]!.GetValue<string>(), (await verified.Content.ReadFromJsonAsync<JsonObject>())!["holder"]!.GetValue<string>());

        var changed = body["verifiablePresentation"]!.DeepClone().AsObject();
        changed["holder"] = DidKey.For(Ed25519Keys.Generate().PublicKey);
        var refused = await Anyone().PostAsJsonAsync("/presentations/verify", new JsonObject { ["verifiablePresentation"] = changed, ["options"] = options.DeepClone() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("signature", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["check"]!.GetValue<string>());
        var otherChallenge = new JsonObject { ["verifiablePresentation"] = body["verifiablePresentation"]!.DeepClone(), ["options"] = new JsonObject { ["challenge"] = "other" } };
        Assert.Equal("challenge", (await (await Anyone().PostAsJsonAsync("/presentations/verify", otherChallenge)).Content.ReadFromJsonAsync<JsonObject>())!["check"]!.GetValue<string>());
    }

    private HttpClient Anyone() => registry.App.ClientWithKey(null);

    internal static JsonObject WithoutSubjectId(JsonObject credential)
    {
        credential["credentialSubject"]!.AsObject().Remove("id");
        return credential;
    }

    /// <summary>
    /// Anchors the issuer's pending credentials and returns what the wallet's later fetch of the exchange's credential gets: the
    /// credential it received with the anchor proof added, the same as the portable form of the offer's credential record.
    /// </summary>
    private async Task<JsonObject> AnchoredFetchAsync(HttpClient client, string url, JsonObject received, string credentialId)
    {
        await client.SealAndAnchorAsync();
        var anchored = (await Anyone().GetFromJsonAsync<JsonObject>(PathOf(url) + "/credential.json"))!;
        Assert.True(JsonNode.DeepEquals(PortableCredential.WithoutProof(received), PortableCredential.WithoutProof(anchored)));
        Assert.True(JsonNode.DeepEquals(anchored, await client.PortableAsync(credentialId)));
        return anchored;
    }

    private static async Task<JsonObject> OfferAsync(HttpClient client, JsonObject? credential = null)
    {
        var response = await client.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = credential ?? WithoutSubjectId(Samples.Badge()) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> AskAsync(string url)
    {
        var response = await Anyone().PostAsJsonAsync(PathOf(url), new JsonObject());
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>What the wallet posts: a presentation by its did:key, signed for authentication over the request's challenge and domain.</summary>
    private static JsonObject Presentation(Ed25519KeyPair wallet, JsonNode vpr, string? domain = null, string purpose = "authentication")
    {
        var did = DidKey.For(wallet.PublicKey);
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = did,
        };
        return new JsonObject
        {
            ["verifiablePresentation"] = Ed25519Signature2020.Sign(presentation, wallet, DateTimeOffset.UtcNow, purpose,
                vpr["challenge"]!.GetValue<string>(), domain ?? vpr["domain"]!.GetValue<string>()),
        };
    }

    private static string PathOf(string url) => new Uri(url).AbsolutePath;

    private async Task<string?> RefusedCheckAsync(string url, JsonObject body)
    {
        var response = await Anyone().PostAsJsonAsync(PathOf(url), body);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, problem!.ToJsonString());
        return problem!["check"]?.GetValue<string>();
    }

    private async Task<string?> RefusedReasonAsync(string url, JsonObject body) => await ReasonOfAsync(await Anyone().PostAsJsonAsync(PathOf(url), body));

    private static async Task<string?> ReasonOfAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, problem!.ToJsonString());
        return problem!["reason"]?.GetValue<string>();
    }

    private async Task<JsonObject> VerifyOkAsync(JsonObject credential)
    {
        var response = await Anyone().PostAsJsonAsync("/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone() });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
