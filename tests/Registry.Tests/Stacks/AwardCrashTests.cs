using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Registry.Tests.Storage;

namespace Registry.Tests.Stacks;

/// <summary>
/// Awards under a real registry process killed with SIGKILL while two clients award without pause: after the
/// restart, every award acknowledged is named by its components' dependants, and the awards the dependants
/// route names are exactly the award credentials the registry holds, none without its record and no record
/// without its credential, whichever step the kill cut short. (Where the kill lands is not chosen; the store
/// contract test places the crash between the two writes.)
/// </summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class AwardCrashTests(LocalAnvilNode node)
{
    [Fact]
    public async Task A_kill_during_awards_leaves_every_award_credential_with_its_record_and_no_record_without_its_credential()
    {
        var settings = RegistryProcess.Settings(node.RpcUrl);
        // Nothing is sealed unless asked, so that what the restarted registry holds is one batch's worth.
        settings["REGISTRY_MAX_DELAY_SECONDS"] = "3600";
        var acknowledged = new List<string>();
        string universityKey, component;
        await using (var first = RegistryProcess.Start(settings))
        {
            await first.WaitForHealthAsync();
            using var admin = CredentialStoreProcessTests.Client(first.Url, RegistryApp.AdminKey);
            async Task<HttpClient> IssuerAsync(string name)
            {
                var created = await admin.PostAsJsonAsync("/issuers", new { name });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                return CredentialStoreProcessTests.Client(first.Url, (await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>());
            }
            // The components come from a training provider, so that every credential of the university is an award.
            using var training = await IssuerAsync("Crash Course Training");
            using var university = await IssuerAsync("University of Interruptions");
            universityKey = university.DefaultRequestHeaders.Authorization!.Parameter!;
            var (ids, batch) = await training.IssueAndSealAsync(StackFixture.Course(StackFixture.Learner, 0, "Introduction to Solidity"),
                StackFixture.Course(StackFixture.Learner, 1, "Testing Smart Contracts"), StackFixture.Course(StackFixture.Learner, 3, "Gas Optimisation"));
            await RegistryApp.WaitForBatchAsync(training, batch, "anchored");
            component = ids[0];
            var components = new List<JsonObject>();
            foreach (var id in ids) components.Add(await training.PortableAsync(id));
            var defined = await university.PostAsJsonAsync("/qualifications", Registry.Api.Reference.QualificationExamples.Definition());
            var qualification = (await defined.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

            using var stop = new CancellationTokenSource();
            var awarders = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var response = await university.PostAsJsonAsync($"/qualifications/{qualification}/awards", AwardTests.Award(StackFixture.Learner, [.. components]));
                        if (response.StatusCode != HttpStatusCode.Accepted) return;
                        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                        lock (acknowledged) acknowledged.Add(id);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                    {
                        return; // the registry is gone: this award was never acknowledged
                    }
                }
            })).ToList();
            await Eventually.TrueAsync(() => { lock (acknowledged) return acknowledged.Count >= 20; }, "20 acknowledged awards", TimeSpan.FromSeconds(120));
            await first.KillAsync();
            stop.Cancel();
            await Task.WhenAll(awarders);
        }

        await using var second = RegistryProcess.Start(settings);
        await second.WaitForHealthAsync();
        using var reader = CredentialStoreProcessTests.Client(second.Url, universityKey);
        using var auditor = CredentialStoreProcessTests.Client(second.Url, RegistryApp.AdminKey);
        var dependants = (await auditor.GetFromJsonAsync<JsonArray>($"/audit/credentials/{component}/dependants"))!
            .Select(d => d!["id"]!.GetValue<string>()).ToList();
        List<string> expected;
        lock (acknowledged) expected = [.. acknowledged];
        Assert.Subset(dependants.ToHashSet(), expected.ToHashSet());
        // Every award credential the registry holds (all the university's, pending until now) is one the route names.
        var sealedBatch = await reader.PostAsync("/batches", null);
        Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
        var held = (await reader.GetFromJsonAsync<JsonObject>($"/batches/{(await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>()}"))!;
        Assert.Equal(dependants.Count, held["count"]!.GetValue<int>());
        Assert.Equal(dependants.Count, dependants.Distinct().Count());
        foreach (var id in dependants)
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/credentials/{id}")).StatusCode);
    }
}
