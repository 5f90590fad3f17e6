using System.Text.Json.Nodes;
using Registry.LinkedData;
using Registry.Tests.Infrastructure;
using Registry.Tests.LinkedData;

namespace Registry.Tests.Interop;

/// <summary>
/// The registry's JSON-LD processor against jsonld.js (tests/interop/to-rdf.js: toRDF in safe mode with
/// rdfDirection i18n-datatype, as Data Integrity signatures convert, the bundled contexts served offline): on the
/// README's example credential and on credentials the registry issues (one with base directions among them), both must give the same RDF dataset (the same up to blank node labels) and the same canonical
/// N-Quads (jsonld.js's canonize against our toRdf and <see cref="Rdfc10"/>); on a damaged one both must refuse.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class JsonLdInteropTests(SharedRegistry registry)
{
    private static readonly JsonLdOptions Safe = Registry.Signatures.EddsaRdfc2022.SafeMode;

    [Fact]
    public async Task Jsonld_js_and_the_registry_give_the_same_dataset_for_its_credentials()
    {
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient, Samples.Badge(), Samples.AwkwardBadge(), Samples.Plain(), Samples.Directed());
        var credentials = new Dictionary<string, JsonObject>
        {
            ["readme-example"] = ExampleCredential.WithProof(),
            ["readme-example-unsigned"] = ExampleCredential.WithoutProof(),
        };
        foreach (var id in ids)
            credentials[id] = await registry.IssuerClient.PortableAsync(id);

        var results = await JsonldJsAsync(credentials);

        foreach (var (name, credential) in credentials)
        {
            var result = results[name]!.AsObject();
            Assert.True(result["nquads"] is not null, $"jsonld.js refused {name}: {result["error"]}");
            var theirs = NQuads.Parse((string)result["nquads"]!);
            var ours = JsonLd.ToRdf(credential, Safe);
            Assert.True(theirs.Count > 20, $"{name}: jsonld.js gave only {theirs.Count} quads");
            Assert.True(DatasetIsomorphism.AreIsomorphic(ours, theirs),
                $"{name}: the datasets differ.\njsonld.js:\n{NQuads.Serialize(theirs)}\nours:\n{NQuads.Serialize(ours)}");
            // And canonicalized (RDFC-1.0), what an eddsa-rdfc-2022 signature covers: the same text.
            Assert.Equal((string)result["canonical"]!, Rdfc10.Canonicalize(ours));
        }
    }

    [Fact]
    public async Task Both_refuse_a_credential_whose_context_no_longer_defines_a_proof_term()
    {
        var damaged = ExampleCredential.WithProof();
        var context = damaged["@context"]!.AsArray().OfType<JsonObject>().Single();
        context[Registry.Credentials.AnchorProof.ProofType]!["@context"]!.AsObject().Remove("merkleRoot");

        var results = await JsonldJsAsync(new() { ["damaged"] = damaged });

        Assert.Contains("Safe mode validation error", (string?)results["damaged"]!["error"]);
        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(damaged, Safe));
        Assert.Equal("invalid property", error.Code);
        Assert.Equal("merkleRoot", error.Subject);
    }

    private static async Task<JsonObject> JsonldJsAsync(Dictionary<string, JsonObject> credentials)
    {
        var folder = TempFolder.Create();
        var files = new List<string>();
        foreach (var (name, credential) in credentials)
        {
            var file = Path.Combine(folder, name + ".json");
            await File.WriteAllTextAsync(file, credential.ToJsonString());
            files.Add(file);
        }
        var results = Path.Combine(folder, "results.json");
        var (exitCode, output) = await ProgramRunner.RunAsync("node",
            [Path.Combine(RepositoryRoot.Path, "tests", "interop", "to-rdf.js"), results, .. files]);
        Assert.True(exitCode == 0, output);
        var byFile = JsonNode.Parse(await File.ReadAllTextAsync(results))!.AsObject();
        var byName = new JsonObject();
        foreach (var (name, _) in credentials)
            byName[name] = byFile[Path.Combine(folder, name + ".json")]!.DeepClone();
        return byName;
    }
}
