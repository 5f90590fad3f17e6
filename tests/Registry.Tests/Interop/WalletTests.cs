using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Browser;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Interop;

/// <summary>
/// Offers claimed by a wallet simulated with the libraries the Learner Credential Wallet runs (tests/interop/wallet.mjs:
/// @digitalcredentials/vc, ed25519-signature-2020, did-method-key), against a registry listening on a real port: the
/// wallet follows the offer's link, authenticates with its did:key, receives the credential issued to it and checks it with
/// @digitalcredentials/verifier-core; a replay, a second claim, a wrong challenge and an expired offer are refused with the
/// reason. The offer's page, opened in headless Chromium, shows a QR code that jsQR reads back to the wallet's link.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class WalletTests(LocalAnvilNode node) : IAsyncLifetime
{
    private RegistryApp _app = null!;
    private HttpClient _issuer = null!;

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        _app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_PUBLIC_URL"] = $"http://127.0.0.1:{port}" });
        _app.UseKestrel(port);
        (_, _issuer) = await _app.AddIssuerAsync("Wallet College");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_learner_credential_wallet_s_libraries_claim_an_offer_and_accept_what_they_receive_and_a_replay_and_second_claim_are_refused()
    {
        var offer = await OfferAsync();
        var lines = await WalletAsync("claim", offer["deepLink"]!.GetValue<string>());

        var claim = lines["claim"];
        Assert.True(claim["status"]!.GetValue<int>() == 200, claim.ToJsonString());
        var credential = claim["credential"]!.AsObject();
        var holder = claim["holder"]!.GetValue<string>();
        Assert.StartsWith("did:key:z6Mk", holder);
        Assert.Equal(holder, credential["credentialSubject"]!["id"]!.GetValue<string>());
        Assert.True(claim["core"]!["signature"]!.GetValue<bool>(), claim.ToJsonString());
        Assert.False(claim["core"]!["revoked"]!.GetValue<bool>(), claim.ToJsonString());

        Assert.Equal(409, lines["replay"]["status"]!.GetValue<int>());
        Assert.Equal("replayed", lines["replay"]["problem"]!["reason"]!.GetValue<string>());
        Assert.Equal(409, lines["second-claim"]["status"]!.GetValue<int>());
        Assert.Equal("claimed", lines["second-claim"]["problem"]!["reason"]!.GetValue<string>());

        var seen = await _issuer.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}");
        Assert.Equal("claimed", seen!["state"]!.GetValue<string>());
        Assert.Equal(holder, seen["holder"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wallet_s_presentation_over_another_challenge_and_its_claim_of_an_expired_offer_are_refused_with_the_reason()
    {
        var wrong = await WalletAsync("wrong-challenge", (await OfferAsync())["deepLink"]!.GetValue<string>());
        Assert.Equal(400, wrong["wrong-challenge"]["status"]!.GetValue<int>());
        Assert.Equal("challenge", wrong["wrong-challenge"]["problem"]!["check"]!.GetValue<string>());

        var offer = await OfferAsync();
        _app.Clock.Advance(TimeSpan.FromDays(8));
        var expired = await WalletAsync("claim", offer["deepLink"]!.GetValue<string>());
        Assert.Equal(409, expired["claim"]["status"]!.GetValue<int>());
        Assert.Equal("expired", expired["claim"]["problem"]!["reason"]!.GetValue<string>());
        Assert.Equal("expired", (await _issuer.GetFromJsonAsync<JsonObject>($"/offers/{offer["id"]}"))!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_offer_s_page_shows_a_qr_code_that_reads_back_to_the_wallet_s_link()
    {
        var offer = await OfferAsync();
        Directory.CreateDirectory(BrowserVerifier.Artifacts);
        var screenshot = Path.Combine(BrowserVerifier.Artifacts, "offer-qr.png");
        var (exitCode, output) = await ProgramRunner.RunAsync("node",
            [Path.Combine(RepositoryRoot.Path, "tests", "browser", "offer-qr.mjs"), BrowserVerifier.ChromiumPath(), offer["url"]!.GetValue<string>(), screenshot],
            timeoutSeconds: 120);
        Assert.True(exitCode == 0, output);
        var seen = JsonNode.Parse(output.Split('\n').Single(l => l.StartsWith("{\"title\"", StringComparison.Ordinal)))!;
        Assert.Equal(offer["deepLink"]!.GetValue<string>(), seen["decoded"]?.GetValue<string>());
        Assert.Contains("Introduction to Solidity", seen["title"]!.GetValue<string>());

        // The QR code served alone is the same code.
        var svg = await _issuer.GetStringAsync($"/offers/{offer["id"]}/qr.svg");
        Assert.Equal(offer["qr"]!.GetValue<string>(), svg);
    }

    private async Task<JsonObject> OfferAsync()
    {
        var response = await _issuer.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = Offers.OfferTests.WithoutSubjectId(Samples.Badge()) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Runs the simulated wallet; its report's lines by step.</summary>
    private static async Task<Dictionary<string, JsonObject>> WalletAsync(string scenario, string deepLink)
    {
        var (exitCode, output) = await ProgramRunner.RunAsync("node", [Path.Combine(RepositoryRoot.Path, "tests", "interop", "wallet.mjs"), scenario, deepLink],
            timeoutSeconds: 120);
        Assert.True(exitCode == 0, output);
        return output.Split('\n').Where(l => l.StartsWith("{\"step\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToDictionary(l => l["step"]!.GetValue<string>());
    }
}
