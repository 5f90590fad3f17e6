using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Signatures;

namespace Registry.Load;

/// <summary>
/// Offers delivered into wallets over real HTTP: an issuer makes OFFERS offers (<c>POST /offers</c>, timed), and a wallet
/// claims each one after another as the Learner Credential Wallet does: <c>POST /exchanges/{id}</c> with <c>{}</c> for the
/// DID authentication request, then the presentation its did:key signs with <c>Ed25519Signature2020</c> over the challenge.
/// The claim's time is the two requests' (the registry verifying the presentation, then issuing and signing the credential);
/// the wallet's own signing in between is timed apart. Also writes a <c>POST /credentials/issue</c> body and the issuer's
/// key, for the single-credential issuance that scripts/bench.sh times under wrk.
/// </summary>
public static class OfferMeasures
{
    private const int Warm = 3;

    public static async Task RunAsync(Uri api, string adminKey, int offers, Rows rows, string issueBodyOut, string issuerKeyOut)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        var key = await HttpMeasures.CreateKeyHolderAsync(http, adminKey, "/issuers", "Offering University");
        await File.WriteAllTextAsync(issuerKeyOut, key);
        await File.WriteAllTextAsync(issueBodyOut, new JsonObject { ["credential"] = Badges.Badge("did:example:single-issue") }.ToJsonString() + "\n");

        var offering = new List<double>();
        var urls = new List<string>();
        for (var i = 0; i < Warm + offers; i++)
        {
            var credential = Badges.Badge("did:example:none");
            credential["credentialSubject"]!.AsObject().Remove("id");
            var clock = Stopwatch.StartNew();
            var offer = await StackMeasures.PostAsync(http, "/offers", key, new JsonObject { ["credential"] = credential });
            if (i >= Warm) offering.Add(clock.Elapsed.TotalMilliseconds);
            urls.Add(new Uri(offer["url"]!.GetValue<string>()).AbsolutePath);
        }
        rows.Add(Timed("make an offer (POST /offers), median", offering, "one client, one after another, each checked as issuing it will check it, with its QR code"));

        var claiming = new List<double>();
        var signing = new List<double>();
        for (var i = 0; i < urls.Count; i++)
        {
            var wallet = Ed25519Keys.Generate();
            var clock = Stopwatch.StartNew();
            var asked = await PostAsync(http, urls[i], new JsonObject());
            var server = clock.Elapsed.TotalMilliseconds;
            var vpr = asked["verifiablePresentationRequest"]!;
            clock.Restart();
            var presentation = Ed25519Signature2020.Sign(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
                ["type"] = new JsonArray("VerifiablePresentation"),
                ["holder"] = DidKey.For(wallet.PublicKey),
            }, wallet, DateTimeOffset.UtcNow, "authentication", vpr["challenge"]!.GetValue<string>(), vpr["domain"]!.GetValue<string>());
            var signed = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var claimed = await PostAsync(http, urls[i], new JsonObject { ["verifiablePresentation"] = presentation });
            server += clock.Elapsed.TotalMilliseconds;
            if (claimed["verifiablePresentation"]?["verifiableCredential"]?[0]?["credentialSubject"]?["id"]?.GetValue<string>() != DidKey.For(wallet.PublicKey))
                throw new InvalidOperationException($"The claim did not give the credential to the wallet: {claimed.ToJsonString()}");
            if (i < Warm) continue;
            claiming.Add(server);
            signing.Add(signed);
        }
        signing.Sort();
        rows.Add(Timed("claim an offer (POST /exchanges/{id}: {}, then the wallet's presentation), median", claiming,
            $"one wallet, one claim after another: the two requests, the registry verifying an Ed25519Signature2020 presentation and issuing a signed credential; " +
            $"the wallet's own signing between them ({signing[signing.Count / 2]:N1} ms median) left out"));
    }

    private static Row Timed(string measure, List<double> times, string note)
    {
        times.Sort();
        return new Row(measure, null, times[times.Count / 2], "ms", "ours", $"{note}; {times.Count} timed; p99 {times[(int)Math.Ceiling(times.Count * 0.99) - 1]:N1} ms");
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
