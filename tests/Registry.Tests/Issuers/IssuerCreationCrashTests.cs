using System.Net;
using System.Net.Http.Json;
using Nethereum.KeyStore;
using Nethereum.Signer;
using Registry.Api.Storage;
using Registry.Api.Storage.Postgres;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Issuers;

/// <summary>
/// Issuer creation is crash-safe on each store: a registry process killed with SIGKILL while the chain
/// has not yet mined the new account's admission has already stored the account's encrypted key. Once the
/// admission is mined, the restarted registry completes the issuer from what it stored: the key it holds
/// is the admitted account's, and nothing of the chain's is left without its key. It times nothing, so it
/// runs with the other classes that start registries of their own, not alone at the end of the run.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class IssuerCreationCrashTests
{
    private const string Password = "crash keystore password";

    [Theory]
    [MemberData(nameof(Storage.StoreContractTests.Kinds), MemberType = typeof(Storage.StoreContractTests))]
    public async Task An_account_admitted_while_the_registry_was_killed_keeps_its_stored_key(string kind)
    {
        await using var node = await LocalNode.StartAsync<LocalAnvilNode>();
        var dataDir = TempFolder.Create();
        var database = kind == "postgresql" ? PostgresServer.NewDatabaseUrl() : null;
        Dictionary<string, string?> Settings()
        {
            var settings = RegistryProcess.Settings(node.RpcUrl, dataDir);
            settings["REGISTRY_KEYSTORE_PASSWORD"] = Password;
            settings["REGISTRY_DATABASE_URL"] = database; // null: the data folder, whatever the run's store

            return settings;
        }
        IRegistryStorage Open() => database is null ? new LiteStorage(dataDir) : new PostgresStorage(database);

        string contract;
        await using (var first = RegistryProcess.Start(Settings()))
        {
            contract = (await first.WaitForHealthAsync())["registry"]!.GetValue<string>();
            // The node stops mining: the admission waits in its pool, and the request for it waits with it.
            await node.RpcAsync("evm_setAutomine", false);
            using var admin = first.ClientWithKey(RegistryApp.AdminKey);
            var creating = admin.PostAsJsonAsync("/issuers", new { name = "Interrupted Academy" });
            await Eventually.TrueAsync(async () => (await node.RpcAsync("eth_getBlockByNumber", "pending", false)).GetProperty("transactions").GetArrayLength() > 0,
                "the admission in the node's pool", TimeSpan.FromSeconds(30));
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => creating);
        }
        await node.RpcAsync("evm_mine");
        await node.RpcAsync("evm_setAutomine", true);

        await using (var second = RegistryProcess.Start(Settings()))
        {
            await second.WaitForHealthAsync();
            using var admin = second.ClientWithKey(RegistryApp.AdminKey);
            var listed = Assert.Single((await admin.GetFromJsonAsync<List<IssuerListed>>("/issuers", Infrastructure.Json.Web))!);
            Assert.Equal("Interrupted Academy", listed.Name);
            Assert.Equal("active", listed.Status);
            await second.StopAsync();
        }

        using var storage = Open();
        var issuer = Assert.Single(storage.Issuers.All());
        Assert.Null(issuer.Admission);
        var key = new EthECKey(new KeyStoreScryptService().DecryptKeyStoreFromJson(Password, issuer.Keystore), isPrivate: true);
        Assert.Equal(issuer.Address, key.GetPublicAddress().ToLowerInvariant());
        var onChain = await new ChainConnection(node.RpcUrl).ContractReader(contract).GetIssuerAsync(issuer.Address);
        Assert.NotNull(onChain);
    }

    private sealed record IssuerListed(string Id, string Name, string Address, string Status);
}
