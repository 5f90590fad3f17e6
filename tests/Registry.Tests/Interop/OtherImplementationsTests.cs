using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Registry.Tests.Verification;

namespace Registry.Tests.Interop;

/// <summary>
/// Portable credentials checked by implementations that are not ours (tests/interop/verify-portable.js):
/// the `canonicalize` npm package for RFC 8785, ethers for Keccak-256 and the contract call, and
/// @openzeppelin/merkle-tree for the proof, jsonld.js and node:crypto for the issuer's eddsa-rdfc-2022 signature.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class OtherImplementationsTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_credential_full_of_awkward_values_verifies_in_javascript()
    {
        var credential = Samples.Plain();
        credential["credentialSubject"] = new JsonObject
        {
            ["id"] = "did:example:zoë",
            ["name"] = "Zoë Ŝtraße 🎓 \u2028 \"quoted\" \\ back\tslash",
            ["scores"] = new JsonArray(1e21, 1e-7, 0.1 + 0.2, -0.0, 5e-324, 1.7976931348623157e308, 123456789012345680000.0, 100, -1.5),
            ["ßorted"] = true, ["Zed"] = false, ["éclair"] = null, ["\u20ac"] = "euro", ["\ud83d\ude00"] = "emoji key",
            ["nested"] = new JsonObject { ["b"] = new JsonArray(new JsonObject { ["z"] = 1, ["a"] = 2 }), ["a"] = new JsonObject() },
        };
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient, credential, Samples.Plain(), Samples.Badge());
        var portable = await registry.IssuerClient.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}/credential.json");

        var raw = await registry.IssuerClient.GetStringAsync($"/credentials/{ids[0]}/credential.json");
        Assert.Contains("Zoë Ŝtraße", raw);
        var (exitCode, output) = await RunCheckerAsync(portable!);

        // The signature is left out here: jsonld.js turns 1e-7 and 5e-324 into "0"^^xsd:integer, as it does 0, and keeps
        // the three equal quads, where RDFC-1.0 (and the registry) takes the dataset as a set (docs/STANDARDS.md).
        Assert.True(exitCode is 0 or 1, output);
        foreach (var part in new[] { "digest", "merkle", "anchored", "keyBound", "issuerTrusted", "notRevoked", "transaction" })
            Assert.Contains($"\"{part}\":true", output);
        Assert.True((await registry.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());

        // Without those numbers, jsonld.js and node:crypto accept the issuer's signature of the rest.
        var (plainExit, plainOutput) = await RunCheckerAsync((await registry.IssuerClient.PortableAsync(ids[1])));
        Assert.True(plainExit == 0, plainOutput);
        Assert.Contains("\"signature\":true", plainOutput);
    }

    [Fact]
    public async Task The_shared_credential_verifies_in_javascript_and_a_tampered_one_does_not()
    {
        var (ok, okOutput) = await RunCheckerAsync(registry.CopyOfPortable());
        Assert.True(ok == 0, okOutput);

        var tampered = registry.CopyOfPortable();
        TamperingTests.Tamper(tampered, "subject field");
        var (bad, badOutput) = await RunCheckerAsync(tampered);
        Assert.Equal(1, bad);
        Assert.Contains("\"digest\":false", badOutput);
        Assert.Contains("\"signature\":false", badOutput);

        // A signature made by another key over the same credential: jsonld.js and node:crypto refuse it too.
        var swapped = registry.CopyOfPortable();
        TamperingTests.Tamper(swapped, "swapped signature");
        var (badSignature, badSignatureOutput) = await RunCheckerAsync(swapped);
        Assert.Equal(1, badSignature);
        Assert.Contains("\"digest\":true", badSignatureOutput);
        Assert.Contains("\"signature\":false", badSignatureOutput);
    }

    [Fact]
    public async Task Proofs_from_a_batch_of_a_thousand_verify_in_javascript()
    {
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient,
            Enumerable.Range(0, 1000).Select(i => Samples.Badge($"did:example:cohort-{i}")).ToArray());
        foreach (var index in new[] { 0, 377, 999 })
        {
            var portable = await registry.IssuerClient.PortableAsync(ids[index]);
            Assert.InRange(portable.AnchorProof()["merkleProof"]!.AsArray().Count, 9, 10);
            var (exitCode, output) = await RunCheckerAsync(portable);
            Assert.True(exitCode == 0, output);
        }
    }

    [Fact]
    public async Task Standard_tools_read_the_awkward_badge_and_refuse_it_damaged()
    {
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient, Samples.AwkwardBadge(), Samples.Plain());
        var folder = TempFolder.Create();
        foreach (var id in ids)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{id}.json"), (await registry.IssuerClient.PortableAsync(id)).ToJsonString());
            // The dataset the registry's JSON-LD processor made of it, which the Node test compares with jsonld.js's.
            File.Copy(Path.Combine(IssuedCredentialCheck.Folder, $"{id}.nq"), Path.Combine(folder, $"{id}.nq"));
        }

        var (exitCode, output) = await RunStandardToolsAsync(folder);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok 2 - issued credential {ids.Order().First()}.json", output);
        Assert.Contains("# fail 0", output);

        // A proof term the context no longer defines: jsonld.js in safe mode refuses the credential.
        var damaged = await registry.IssuerClient.PortableAsync(ids[0]);
        var context = damaged["@context"]!.AsArray().OfType<JsonObject>().Single();
        context[Registry.Credentials.AnchorProof.ProofType]!["@context"]!.AsObject().Remove("merkleRoot");
        await File.WriteAllTextAsync(Path.Combine(folder, $"{ids[0]}.json"), damaged.ToJsonString());
        (exitCode, output) = await RunStandardToolsAsync(folder);
        Assert.Equal(1, exitCode);
        Assert.Contains("Safe mode validation error", output);
    }

    /// <summary>Runs tests/interop/standard-tools.test.js on the credentials (and the registry's datasets of them) in <paramref name="folder"/>.</summary>
    internal static Task<(int ExitCode, string Output)> RunStandardToolsAsync(string folder) =>
        ProgramRunner.RunAsync("node", ["--test", Path.Combine(RepositoryRoot.Path, "tests", "interop", "standard-tools.test.js")],
            start => start.Environment["REGISTRY_ISSUED_CREDENTIALS_DIR"] = folder);

    private async Task<(int ExitCode, string Output)> RunCheckerAsync(JsonObject portable)
    {
        var file = Path.Combine(TempFolder.Create(), "credential.json");
        await File.WriteAllTextAsync(file, portable.ToJsonString());
        var script = Path.Combine(RepositoryRoot.Path, "tests", "interop", "verify-portable.js");
        return await ProgramRunner.RunAsync("node", [script, file, registry.Node.RpcUrl.ToString()]);
    }
}
