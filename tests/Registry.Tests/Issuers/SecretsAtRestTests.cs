using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Issuers;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Issuers;

[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class SecretsAtRestTests(SharedRegistry registry)
{
    [Fact]
    public async Task The_store_holds_neither_api_keys_nor_private_keys_in_the_clear()
    {
        var dataDir = TempFolder.Create();
        Infrastructure.CreatedIssuer issuer;
        string privateKey;
        await using (var app = new RegistryApp(registry.Node.RpcUrl, dataDir))
        {
            issuer = await app.CreateIssuerAsync("Careful Keys Institute");
            var entity = app.Services.GetRequiredService<IIssuerStore>().Find(issuer.Id)!;
            privateKey = app.Services.GetRequiredService<IssuerKeyring>().PrivateKeyOf(entity);
            Assert.Contains("\"crypto\"", entity.Keystore);
            Assert.Equal(issuer.Address, DevelopmentChain.AddressOf(privateKey));
        }

        // The data folder's files and, on PostgreSQL, the database's rows, as one text.
        var text = string.Join("\n", (await TestStore.AtRestAsync(dataDir)).Select(stored => Encoding.UTF8.GetString(stored.Bytes)));
        Assert.DoesNotContain(issuer.ApiKey, text);
        Assert.DoesNotContain(privateKey[2..], text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(issuer.ApiKey))), text);

        // The keys survive a restart: the same issuer can still work.
        await using var restarted = new RegistryApp(registry.Node.RpcUrl, dataDir);
        var ids = await restarted.IssueAndAnchorAsync(restarted.ClientWithKey(issuer.ApiKey), Samples.Plain());
        Assert.Single(ids);
    }

    [Fact]
    public void Hardhat_keys_are_refused_on_any_chain_but_the_local_one()
    {
        DevelopmentChain.RefusePublicKeyOffLocalChain(DevelopmentChain.OperatorKey, DevelopmentChain.ChainId);
        var refused = Assert.Throws<InvalidOperationException>(() => DevelopmentChain.RefusePublicKeyOffLocalChain(DevelopmentChain.OperatorKey, 1));
        Assert.Contains("publicly known", refused.Message);
        Assert.Throws<InvalidOperationException>(() => new RegistryWriter(new ChainConnection(registry.Node.RpcUrl),
            "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 11155111, registry.Contract));
        // Any other key is accepted anywhere.
        DevelopmentChain.RefusePublicKeyOffLocalChain("0x" + new string('3', 64), 1);
        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", DevelopmentChain.AddressOf(DevelopmentChain.OperatorKey));
    }
}
