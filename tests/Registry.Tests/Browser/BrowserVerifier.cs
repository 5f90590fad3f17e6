using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Browser;

/// <summary>
/// The verification page as employers meet it, in headless Chromium (tests/browser/verify-pages.mjs):
/// published with scripts/publish-verifier.sh, served by the registry at <c>/</c> while it runs, then
/// served by a plain static server with the registry stopped. The credentials are real: issued, anchored
/// and revoked by a registry process on a local Anvil node. This fixture runs every page visit once and keeps
/// what the browser showed; the tests assert on it. The visits to one site share one loaded page, as a reader
/// checks one credential after another; a share link is opened cold.
/// </summary>
public sealed class BrowserVerifier : IAsyncLifetime
{
    public static readonly string Artifacts = Path.Combine(RepositoryRoot.Path, "tests", "artifacts", "browser");

    private readonly LocalAnvilNode _node = new();
    private readonly List<ChildProcess> _servers = [];
    private readonly Dictionary<string, JsonObject> _seen = [];
    private string _credentials = "";

    public string Contract { get; private set; } = "";

    /// <summary>The offer made while the registry ran (POST /offers): the page is given its links.</summary>
    public JsonObject Offer { get; private set; } = [];
    public Uri RpcUrl => _node.RpcUrl;

    /// <summary>What the browser showed for one visit, by its name.</summary>
    public JsonObject Seen(string name) =>
        _seen.TryGetValue(name, out var seen) ? seen : throw new InvalidOperationException($"No page visit named {name}.");

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        await _node.InitializeAsync();
        var published = await PublishedCopyAsync();
        _credentials = TempFolder.Create();

        var settings = RegistryProcess.Settings(_node.RpcUrl);
        settings["REGISTRY_VERIFIER_DIR"] = published;
        settings["REGISTRY_KEYSTORE_PASSWORD"] = "test keystore password";
        settings["REGISTRY_MAX_DELAY_SECONDS"] = "3600";
        await using (var registry = RegistryProcess.Start(settings))
        {
            await registry.WaitForHealthAsync();
            await IssueAsync(registry.Url);
            // The registry's own page, with its own trusted.json.
            await VisitAsync(chromium, registry.Url, "registry",
            [
                Visit("registry-valid-en", "valid", "en"),
                Visit("registry-tampered-de", "tampered", "de"),
                Visit("registry-revoked-ar", "revoked", "ar"),
                Visit("registry-expired-en", "expired", "en"),
                Visit("registry-unknown-chain-de", "unknown-chain", "de"),
                // An offer's link pasted instead of a credential: its QR code, under the registry's own policy.
                Visit("registry-offer-en", "offer-url", "en", extra: new JsonObject { ["expect"] = "offer" }),
            ]);
        }

        // The registry is stopped from here on: a static copy and the node are all there is.
        File.WriteAllText(Path.Combine(published, "trusted.json"),
            $$"""[{"chainId": 31337, "registry": "{{Contract}}", "rpcUrl": "{{_node.RpcUrl}}", "name": "Test Registry"}]""");
        var staticCopy = await ServeAsync(published);
        // One page, loaded once, shows every credential in turn (see tests/browser/verify-pages.mjs).
        await VisitAsync(chromium, staticCopy, "static",
        [
            Visit("static-valid-en", "valid", "en", print: true),
            Visit("static-valid-de-link", "valid", "de", open: "link"),
            Visit("static-valid-file-fr", "valid", "fr", open: "file"),
            Visit("static-valid-phone-zh", "valid", "zh", viewport: new JsonObject { ["width"] = 390, ["height"] = 844 }),
            Visit("static-tampered-en", "tampered", "en"),
            Visit("static-bad-signature-fr", "bad-signature", "fr"),
            Visit("static-revoked-de", "revoked", "de", print: true),
            Visit("static-expired-ar", "expired", "ar"),
            Visit("static-unknown-chain-en", "unknown-chain", "en"),

            // An offer's QR code in every language of the page, from its exchange URL, its wallet link or the page's #offer= link.
            Visit("static-offer-de", "offer-url", "de", extra: new JsonObject { ["expect"] = "offer" }),
            Visit("static-offer-link-fr", "offer-link", "fr", print: true, extra: new JsonObject { ["expect"] = "offer" }),
            Visit("static-offer-es", "offer-url", "es", open: "offer-fragment", extra: new JsonObject { ["expect"] = "offer" }),
            Visit("static-offer-phone-zh", "offer-link", "zh", viewport: new JsonObject { ["width"] = 390, ["height"] = 844 },
                extra: new JsonObject { ["expect"] = "offer" }),
            Visit("static-offer-ar", "offer-link", "ar", open: "offer-fragment", extra: new JsonObject { ["expect"] = "offer" }),
            Visit("static-not-an-offer-en", "not-an-offer", "en", extra: new JsonObject { ["expect"] = "problem" }),
            // Several files dropped at once: one portfolio, one share link, one line a credential.
            Visit("static-portfolio-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("valid.json", "second.json", "third.json") }),
            Visit("static-portfolio-link-de", "valid", "de", open: "files", extra: new JsonObject { ["files"] = Files("valid.json", "second.json", "third.json"), ["relink"] = true }),
            Visit("static-portfolio-tampered-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("valid.json", "second-tampered.json", "third.json") }),
            Visit("static-portfolio-repeated-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("valid.json", "valid.json"), ["expect"] = "problem" }),
            // A qualification with its three components: a tree; then with one component changed and one left out.
            Visit("static-stack-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("qualification.json", "valid.json", "second.json", "third.json") }),
            Visit("static-stack-partial-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("qualification.json", "second-tampered.json", "valid.json") }),
            // Baked badges from the registry, and one altered after baking.
            Visit("static-badge-png-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("badge.png") }),
            Visit("static-badge-svg-ar", "valid", "ar", open: "files", extra: new JsonObject { ["files"] = Files("badge.svg") }),
            Visit("static-badge-altered-en", "valid", "en", open: "files", extra: new JsonObject { ["files"] = Files("badge-altered.png") }),
            // An issuer whose name holds U+202E (right-to-left override): the rest of the sentence keeps its order.
            Visit("static-bidi-en", "bidi", "en", extra: new JsonObject { ["bidiProbe"] = "recorded" }),
            Visit("static-bidi-de", "bidi", "de", extra: new JsonObject { ["bidiProbe"] = "verankert" }),
            Visit("static-bidi-ar", "bidi", "ar", extra: new JsonObject { ["bidiProbe"] = "UTC" }),
            // A share link that expands far beyond any credential.
            Visit("static-bomb-en", "valid", "en", open: "fragment",
                extra: new JsonObject { ["fragment"] = BombLink(), ["expect"] = "problem" }),
            // The checks table narrowed step by step: no line may hold a lone period.
            Visit("static-tampered-narrowing-en", "tampered", "en", extra: new JsonObject
            {
                ["sweep"] = new JsonObject { ["from"] = 720, ["to"] = 320, ["step"] = 4 },
            }),
        ]);

        // A copy whose host lists a node that is down: no verdict, and a field for another node.
        var down = TempFolder.Create();
        await ProgramRunner.RunAsync("cp", ["-R", published + "/.", down]);
        File.WriteAllText(Path.Combine(down, "trusted.json"),
            $$"""[{"chainId": 31337, "registry": "{{Contract}}", "rpcUrl": "http://127.0.0.1:{{LocalNode.FreePort()}}", "name": "Test Registry"}]""");
        await VisitAsync(chromium, await ServeAsync(down), "down",
        [
            Visit("down-valid-en", "valid", "en"),
            Visit("down-valid-fr", "valid", "fr"),
        ]);

        // A copy whose host trusts nothing: the user gives the registry's address and a node.
        var untrusting = TempFolder.Create();
        await ProgramRunner.RunAsync("cp", ["-R", published + "/.", untrusting]);
        File.WriteAllText(Path.Combine(untrusting, "trusted.json"), "[]");
        var trust = new JsonObject { ["registry"] = Contract, ["rpcUrl"] = _node.RpcUrl.ToString() };
        await VisitAsync(chromium, await ServeAsync(untrusting), "untrusting",
        [
            Visit("untrusting-valid-en", "valid", "en"),
            Visit("untrusting-trusted-for-session-en", "valid", "en", trust: trust),
        ]);
    }

    private JsonObject Visit(string name, string credential, string lang, string open = "paste", bool print = false,
        JsonObject? viewport = null, JsonObject? trust = null, JsonObject? extra = null)
    {
        var visit = new JsonObject
        {
            ["name"] = name,
            ["credential"] = Path.Combine(_credentials, $"{credential}.json"),
            ["lang"] = lang,
            ["open"] = open,
            ["print"] = print,
            ["viewport"] = viewport,
            ["trust"] = trust,
        };
        foreach (var (key, value) in extra ?? []) visit[key] = value?.DeepClone();
        return visit;
    }

    /// <summary>A file holding a share link's fragment: 64 MiB of spaces, gzipped and base64url-encoded into about 90 KB.</summary>
    private string BombLink()
    {
        var file = Path.Combine(_credentials, "bomb.fragment");
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var spaces = new byte[1 << 20];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 64; i++) gzip.Write(spaces);
        }
        File.WriteAllText(file, Convert.ToBase64String(compressed.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        return file;
    }

    private async Task VisitAsync(string chromium, Uri baseUrl, string label, JsonObject[] visits)
    {
        var plan = new JsonObject
        {
            ["baseUrl"] = baseUrl.ToString(),
            ["chromium"] = chromium,
            ["artifacts"] = Artifacts,
            ["cases"] = new JsonArray(visits.Cast<JsonNode>().ToArray()),
        };
        var planFile = Path.Combine(_credentials, $"plan-{label}.json");
        await File.WriteAllTextAsync(planFile, plan.ToJsonString());
        var script = Path.Combine(RepositoryRoot.Path, "tests", "browser", "verify-pages.mjs");
        var (exit, output) = await ProgramRunner.RunAsync("node", [script, planFile], timeoutSeconds: 600);
        Assert.True(exit == 0, output);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => l.StartsWith('['));
        foreach (var seen in JsonNode.Parse(lastLine)!.AsArray()) _seen[seen!["name"]!.GetValue<string>()] = seen.AsObject();
    }

    /// <summary>
    /// A copy of the verifier as scripts/start.sh publishes it (dist/verifier, published again only when its
    /// sources changed, so the run publishes it once for these tests and the script's), trusting nothing yet.
    /// </summary>
    private static async Task<string> PublishedCopyAsync()
    {
        var (exit, output) = await ProgramRunner.RunAsync(Path.Combine(RepositoryRoot.Path, "scripts", "publish-verifier.sh"),
            ["--if-changed", Path.Combine(RepositoryRoot.Path, "dist", "verifier")], timeoutSeconds: 600);
        Assert.True(exit == 0, output);
        var copy = TempFolder.Create();
        var (copied, copyOutput) = await ProgramRunner.RunAsync("cp", ["-R", Path.Combine(RepositoryRoot.Path, "dist", "verifier") + "/.", copy]);
        Assert.True(copied == 0, copyOutput);
        File.WriteAllText(Path.Combine(copy, "trusted.json"), "[]");
        return copy;
    }

    /// <summary>Serves a folder with a plain static server, as any web host would.</summary>
    private async Task<Uri> ServeAsync(string folder)
    {
        var server = ChildProcess.Start(new System.Diagnostics.ProcessStartInfo("node", [Path.Combine(RepositoryRoot.Path, "tests", "browser", "static-server.mjs"), folder]),
            "the static server");
        _servers.Add(server);
        // Its first line is the address it serves.
        var line = await server.WaitUntilReadyAsync(() => Task.FromResult(server.Output.Split('\n')[0] is { Length: > 0 } first ? first : null), TimeSpan.FromSeconds(30));
        return new Uri(line);
    }

    /// <summary>Issues the credentials the pages are shown: valid, revoked, expired, and two changed copies.</summary>
    private async Task IssueAsync(Uri registry)
    {
        using var admin = Client(registry, RegistryApp.AdminKey);
        var created = await admin.PostAsJsonAsync("/issuers", new { name = "Open University of Testing", country = "DE", url = "https://example.edu" });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>();
        using var issuer = Client(registry, apiKey);

        var valid = Samples.Badge("did:example:alice");
        var expired = Samples.Badge("did:example:bob", "Introduction to Rust");
        expired["validFrom"] = "2020-01-15T09:00:00Z";
        expired["validUntil"] = "2021-01-15T09:00:00Z";
        var (ids, _) = await issuer.IssueAndSealAsync(valid, Samples.Badge("did:example:carol"), expired,
            Stacks.StackFixture.Course("did:example:alice", 1, "Testing Smart Contracts"), Stacks.StackFixture.Course("did:example:alice", 4, "Auditing Smart Contracts"));
        var portables = new List<JsonObject>();
        foreach (var id in ids) portables.Add(await WaitForPortableAsync(issuer, id));
        var revoke = await issuer.PostAsJsonAsync($"/credentials/{ids[1]}/revoke", new { reason = "Issued in error" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, revoke.StatusCode);
        await WaitForRevocationAsync(issuer, ids[1]);
        Contract = portables[0].AnchorProof()["anchor"]!["registry"]!.GetValue<string>();

        // An offer of a badge to a learner's wallet; the page is given its exchange URL or its wallet link as text.
        var offered = await issuer.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = Offers.OfferTests.WithoutSubjectId(Samples.Badge()) });
        Assert.True(offered.StatusCode == System.Net.HttpStatusCode.Created, await offered.Content.ReadAsStringAsync());
        Offer = (await offered.Content.ReadFromJsonAsync<JsonObject>())!;
        File.WriteAllText(Path.Combine(_credentials, "offer-url.json"), Offer["url"]!.GetValue<string>());
        File.WriteAllText(Path.Combine(_credentials, "offer-link.json"), Offer["deepLink"]!.GetValue<string>());
        File.WriteAllText(Path.Combine(_credentials, "not-an-offer.json"), "https://registry.example/credentials/1234");

        // A second issuer whose name holds a right-to-left override.
        var evil = await admin.PostAsJsonAsync("/issuers", new { name = "Evil\u202E Academy" });
        Assert.Equal(System.Net.HttpStatusCode.Created, evil.StatusCode);
        using var evilIssuer = Client(registry, (await evil.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>());
        var (evilIds, _) = await evilIssuer.IssueAndSealAsync(Samples.Badge("did:example:dave"));
        Write("bidi", await WaitForPortableAsync(evilIssuer, evilIds[0]));

        var tampered = (JsonObject)portables[0].DeepClone();
        tampered["credentialSubject"]!["achievement"]!["name"] = "Advanced Solidity";
        // The credential unchanged, but its signature swapped for one made by another key.
        var badSignature = (JsonObject)portables[0].DeepClone();
        Verification.TamperingTests.Tamper(badSignature, "swapped signature");
        var unknownChain = (JsonObject)portables[0].DeepClone();
        Verification.TamperingTests.Reanchor(unknownChain, "chainId", 11155111);
        Write("valid", portables[0]);
        Write("revoked", portables[1]);
        Write("expired", portables[2]);
        Write("tampered", tampered);
        Write("bad-signature", badSignature);
        Write("unknown-chain", unknownChain);
        Write("second", portables[3]);
        Write("third", portables[4]);
        var secondTampered = (JsonObject)portables[3].DeepClone();
        secondTampered["credentialSubject"]!["achievement"]!["name"] = "Testing Everything";
        Write("second-tampered", secondTampered);

        // Alice's three courses make "any 3 of 5": the qualification awarded from them, anchored.
        var defined = await issuer.PostAsJsonAsync("/qualifications", Registry.Api.Reference.QualificationExamples.Definition());
        Assert.Equal(System.Net.HttpStatusCode.Created, defined.StatusCode);
        var qualification = (await defined.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var awarded = await issuer.PostAsJsonAsync($"/qualifications/{qualification}/awards", new JsonObject
        {
            ["subject"] = "did:example:alice",
            ["components"] = new JsonArray(portables[0].DeepClone(), portables[3].DeepClone(), portables[4].DeepClone()),
        });
        Assert.True(awarded.StatusCode == System.Net.HttpStatusCode.Accepted, await awarded.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await issuer.PostAsync("/batches", null)).StatusCode);
        Write("qualification", await WaitForPortableAsync(issuer, (await awarded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>()));

        // The first credential's badges as the registry bakes them, and one whose credential was changed after baking.
        var png = await issuer.GetByteArrayAsync($"/credentials/{ids[0]}/badge.png");
        File.WriteAllBytes(Path.Combine(_credentials, "badge.png"), png);
        File.WriteAllBytes(Path.Combine(_credentials, "badge.svg"), await issuer.GetByteArrayAsync($"/credentials/{ids[0]}/badge.svg"));
        File.WriteAllBytes(Path.Combine(_credentials, "badge-altered.png"), Registry.Baking.BakedImage.Bake(Registry.Baking.BadgeFormat.Png, png, tampered.ToJsonString()));
    }

    /// <summary>The paths of the written credential or badge files, by name (with their extension).</summary>
    private JsonArray Files(params string[] names) => new(names.Select(n => (JsonNode)Path.Combine(_credentials, n)).ToArray());

    private void Write(string name, JsonObject credential) =>
        File.WriteAllText(Path.Combine(_credentials, $"{name}.json"), credential.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    private static HttpClient Client(Uri url, string key)
    {
        var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonObject> WaitForPortableAsync(HttpClient issuer, string id)
    {
        var response = await Eventually.GetAsync(() => issuer.GetAsync($"/credentials/{id}/credential.json"),
            response => response.IsSuccessStatusCode, $"credential {id} to be anchored", TimeSpan.FromSeconds(60));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task WaitForRevocationAsync(HttpClient issuer, string id)
    {
        await Eventually.GetAsync(async () => (await issuer.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!,
            status => status["status"]!.GetValue<string>() == "revoked", $"credential {id} to be revoked", TimeSpan.FromSeconds(60));
    }

    /// <summary>Debian's chromium (scripts/test.sh installs it), or the browser named by CHROMIUM_PATH.</summary>
    internal static string ChromiumPath()
    {
        string?[] candidates = [Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: scripts/test.sh installs it (apt-get install chromium), or set CHROMIUM_PATH.");
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        await _node.DisposeAsync();
    }
}
