using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Index;
using Registry.Api.Storage;
using Registry.Audit;
using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Index;

/// <summary>
/// The chain follower on real Hardhat nodes of its own: reorganisations, restarts, and verification from its
/// index. The tests that keep their node running share the class's node (each registry deploys a contract of
/// its own on it, and the tests run one after another, so a reorganisation or a million blocks mined by one
/// only moves the chain under a contract no later test reads); the one that stops its node has its own.
/// </summary>
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class ChainFollowerTests(HardhatNode node) : IClassFixture<HardhatNode>
{
    private static ChainFollower FollowerOf(RegistryApp app) => app.Services.GetRequiredService<ChainFollower>();

    private static async Task<long> HeadAsync(LocalNode node) => Convert.ToInt64((await node.RpcAsync("eth_blockNumber")).GetString(), 16);

    private static async Task<string> HashOfAsync(LocalNode node, long block) =>
        (await node.RpcAsync("eth_getBlockByNumber", "0x" + block.ToString("x"), false)).GetProperty("hash").GetString()!;

    private static Task UntilAsync(Func<Task<bool>> done, int seconds = 30) =>
        Eventually.TrueAsync(done, "the chain index", TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task A_reorganisation_rolls_the_index_back_to_the_common_ancestor_and_it_reads_forward_again()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Reorganised Academy");
        var (app, issuer, client) = started;
        var follower = FollowerOf(app);
        var snapshot = (await node.RpcAsync("evm_snapshot")).GetString()!;

        var ids = await app.IssueAndAnchorAsync(client, Samples.Plain());
        var root = Bytes32.Parse((await client.PortableAsync(ids[0])).AnchorProof()["merkleRoot"]!.GetValue<string>());
        await UntilAsync(() => Task.FromResult(follower.Index.AnchorOf(issuer.Address, root) is not null));

        // The anchoring block is undone; the new chain grows past where the index had read.
        Assert.True((await node.RpcAsync("evm_revert", snapshot)).GetBoolean());
        await node.RpcAsync("hardhat_mine", "0x5");
        await UntilAsync(async () => follower.Index.Cursor is { } c && c.Number == await HeadAsync(node) && c.Hash == await HashOfAsync(node, c.Number));

        Assert.Null(follower.Index.AnchorOf(issuer.Address, root));
        var stored = app.Services.GetRequiredService<IChainEventStore>().Resume(follower.Contract!)!;
        Assert.DoesNotContain(stored.Events, e => e.Type == RegistryEventTypes.Anchored && e.Root == root.ToString());
        // What the new chain holds is read: the issuer's admission, made before the snapshot, is still there.
        Assert.NotNull(follower.Index.IssuerOf(issuer.Address));

        // And it keeps following: a batch anchored on the new chain is indexed.
        var again = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:after-the-reorg"));
        var newRoot = Bytes32.Parse((await client.PortableAsync(again[0])).AnchorProof()["merkleRoot"]!.GetValue<string>());
        await UntilAsync(() => Task.FromResult(follower.Index.AnchorOf(issuer.Address, newRoot) is not null));
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_catching_up_resumes_where_it_stopped_and_loses_nothing()
    {
        var dataDir = TempFolder.Create();
        string contract;
        Infrastructure.CreatedIssuer before;
        await using (var first = new RegistryApp(node.RpcUrl, dataDir))
        {
            before = await first.CreateIssuerAsync("Before The Long Gap");
            contract = (await first.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["registry"]!.GetValue<string>();
        }

        // A million blocks pass while the registry is stopped, then the operator admits another issuer on chain.
        await node.RpcAsync("hardhat_mine", "0xf4240");
        var connection = new ChainConnection(node.RpcUrl);
        var lateKey = SigningKeys.NewPublicKey();
        await new RegistryWriter(connection, DevelopmentChain.OperatorKey, DevelopmentChain.ChainId, contract)
            .AddIssuerAsync("0x" + new string('7', 40), "After The Long Gap", lateKey);
        var head = await HeadAsync(node);

        long stoppedAt;
        await using (var second = new RegistryApp(node.RpcUrl, dataDir))
        {
            var follower = FollowerOf(second);
            var resumedFrom = follower.Index.Cursor?.Number ?? 0;
            await UntilAsync(() => Task.FromResult(follower.Index.Cursor?.Number > resumedFrom + 10_000));
            stoppedAt = follower.Index.Cursor!.Number;
        }
        Assert.True(stoppedAt < head, $"The index had already caught up ({stoppedAt} of {head}) when the registry stopped.");

        await using var third = new RegistryApp(node.RpcUrl, dataDir);
        var resumed = FollowerOf(third);
        await UntilAsync(() => Task.FromResult(resumed.Index.Cursor is not null));
        Assert.True(resumed.Index.Cursor!.Number >= stoppedAt); // resumed from the store, not from the start
        await UntilAsync(() => Task.FromResult(resumed.Index.Cursor?.Number >= head), seconds: 120);

        var onChain = await new RegistryEventLog(connection, contract).ReadAsync(0, head);
        var (indexed, more) = resumed.Index.Events(0, -1, head, 1000);
        Assert.False(more);
        Assert.Equal(onChain.Select(e => (e.BlockNumber, e.LogIndex, e.Type)), indexed.Select(e => (e.BlockNumber, e.LogIndex, e.Type)));
        // Each issuer record holds the key its IssuerAdded event bound: one read back from the store, one from the chain.
        Assert.Equal(before.DidKey, resumed.Index.IssuerOf(before.Address)?.DidKey);
        Assert.Equal(lateKey, resumed.Index.IssuerOf("0x" + new string('7', 40))?.SigningKey);
    }

    [Fact]
    public async Task Verify_answers_from_the_index_with_the_block_it_is_true_as_of_while_the_node_is_gone()
    {
        var ownNode = await LocalNode.StartAsync<HardhatNode>(); // stopped below
        await using var app = new RegistryApp(ownNode.RpcUrl);
        JsonObject portable;
        try
        {
            var client = (await app.AddIssuerAsync("Index First University")).Client;
            portable = await client.PortableAsync((await app.IssueAndAnchorAsync(client, Samples.Plain()))[0]);
            var head = await HeadAsync(ownNode);
            await UntilAsync(() => Task.FromResult(FollowerOf(app).IsFresh && FollowerOf(app).Index.Cursor?.Number >= head));
        }
        finally
        {
            await ownNode.DisposeAsync();
        }

        // No node to ask: everything the verifier needs comes from the index.
        var verdict = await app.VerifyAsync(portable);
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.Equal(FollowerOf(app).Index.Cursor!.Number, verdict["asOf"]!["blockNumber"]!.GetValue<long>());
        Assert.Equal(FollowerOf(app).Index.Cursor!.Hash, verdict["asOf"]!["blockHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revocation_made_on_chain_reaches_verify_within_one_block()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Revoked Outside The Registry");
        var (app, issuer, client) = started;
        var portable = await client.PortableAsync((await app.IssueAndAnchorAsync(client, Samples.Plain()))[0]);
        Assert.True((await app.VerifyAsync(portable))["verified"]!.GetValue<bool>());

        // The issuer's key revokes straight on the contract, not through the registry.
        var proof = portable.AnchorProof();
        var writer = new RegistryWriter(new ChainConnection(node.RpcUrl), app.PrivateKeyOf(issuer), DevelopmentChain.ChainId,
            proof["anchor"]!["registry"]!.GetValue<string>());
        var mined = await writer.RevokeAsync(Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>()), Bytes32.Parse(proof["digest"]!.GetValue<string>()),
            proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList(), "revoked on chain");
        await node.RpcAsync("hardhat_mine", "0x1");

        JsonObject verdict = new();
        await UntilAsync(async () => (verdict = await app.VerifyAsync(portable)).FailedCheck()?["name"]?.GetValue<string>() == "revocation", seconds: 5);
        Assert.Contains("revoked on chain", verdict.FailedCheck()!["message"]!.GetValue<string>());
        Assert.True(verdict["asOf"]!["blockNumber"]!.GetValue<long>() >= mined.BlockNumber);
    }
}
