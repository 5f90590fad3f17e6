using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Stacks;

/// <summary>
/// A registry of its own with two issuers, a university and a training provider, and a learner's four
/// anchored micro-credentials from them, plus one of another learner: what the qualification tests stack.
/// The university defines "any 3 of 5" in the tests that need it.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const string Learner = "did:example:ada-lovelace";
    public const string OtherLearner = "did:example:bob-builder";

    public static readonly string[] Achievements =
    [
        "https://example.edu/achievements/solidity-101",
        "https://example.edu/achievements/testing-201",
        "https://example.edu/achievements/security-301",
        "https://training.example.com/achievements/gas-optimisation",
        "https://training.example.com/achievements/auditing",
    ];

    public HardhatNode Node { get; } = new();
    public RegistryApp App { get; private set; } = null!;
    public IssuerWithClient University { get; private set; } = null!;
    public IssuerWithClient Training { get; private set; } = null!;

    /// <summary>The learner's portable credentials: solidity-101 and testing-201 from the university, gas-optimisation and auditing from the training provider.</summary>
    public IReadOnlyList<JsonObject> Components { get; private set; } = [];
    public IReadOnlyList<string> ComponentIds { get; private set; } = [];

    /// <summary>The other learner's solidity-101, from the university.</summary>
    public JsonObject OtherLearnersComponent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Node.InitializeAsync();
        var started = await RegistryApp.StartWithIssuerAsync(Node.RpcUrl, "University of Stacking");
        App = started.App;
        University = new IssuerWithClient(started.Issuer, started.Client);
        Training = await App.AddIssuerAsync("Chain Training Ltd");
        var fromUniversity = await App.IssueAndAnchorAsync(University.Client,
            Course(Learner, 0, "Introduction to Solidity"), Course(Learner, 1, "Testing Smart Contracts"), Course(OtherLearner, 0, "Introduction to Solidity"));
        var fromTraining = await App.IssueAndAnchorAsync(Training.Client, Course(Learner, 3, "Gas Optimisation"), Course(Learner, 4, "Auditing"));
        ComponentIds = [fromUniversity[0], fromUniversity[1], fromTraining[0], fromTraining[1]];
        Components = [
            await University.Client.PortableAsync(fromUniversity[0]), await University.Client.PortableAsync(fromUniversity[1]),
            await Training.Client.PortableAsync(fromTraining[0]), await Training.Client.PortableAsync(fromTraining[1]),
        ];
        OtherLearnersComponent = await University.Client.PortableAsync(fromUniversity[2]);
    }

    /// <summary>A badge of one of <see cref="Achievements"/> for a learner.</summary>
    public static JsonObject Course(string learner, int achievement, string name)
    {
        var badge = Samples.Badge(learner, name);
        badge["credentialSubject"]!["achievement"]!["id"] = Achievements[achievement];
        return badge;
    }

    /// <summary>"Any 3 of 5", defined by the university; returns its id.</summary>
    public async Task<string> DefineAnyThreeOfFiveAsync()
    {
        var response = await University.Client.PostAsJsonAsync("/qualifications", Registry.Api.Reference.QualificationExamples.Definition());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Awards the qualification, anchors the award, and returns its id and portable credential.</summary>
    public async Task<(string Id, JsonObject Portable)> AwardAndAnchorAsync(string qualification, params JsonObject[] components)
    {
        var response = await University.Client.PostAsJsonAsync($"/qualifications/{qualification}/awards", AwardTests.Award(Learner, components));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", accepted["status"]!.GetValue<string>());
        var id = accepted["id"]!.GetValue<string>();
        Assert.Equal($"/credentials/{id}", response.Headers.Location!.OriginalString);
        var sealedBatch = await University.Client.PostAsync("/batches", null);
        Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
        await RegistryApp.WaitForBatchAsync(University.Client, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored");
        // Fetched through the test client: the VC 2.0, portable and Open Badges schemas and JSON-LD safe mode check it.
        return (id, await University.Client.PortableAsync(id));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Node.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stacks";
}
