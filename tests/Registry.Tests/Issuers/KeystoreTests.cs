using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Registry.Api;
using Registry.Api.Issuers;
using Registry.Api.Storage;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Issuers;

/// <summary>Issuer keystores in the standard Web3 Secret Storage form, which other tools decrypt, in geth's light form on request, and the older form still read.</summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class KeystoreTests(LocalAnvilNode node)
{
    private const string Password = "test keystore password";

    /// <summary>
    /// A registry of its own with the standard parameters, as every registry off the local chain has them:
    /// the suite's other registries, the shared one among them, write the light ones, each issuer's keystore
    /// then costing a hundredth of the memory and a tenth of the work.
    /// </summary>
    [Fact]
    public async Task Ethers_decrypts_a_keystore_the_registry_wrote()
    {
        await using var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_LIGHT_KDF"] = "false" });
        var issuer = await app.CreateIssuerAsync("Standardly Kept Academy");
        var entity = app.Services.GetRequiredService<IIssuerStore>().Find(issuer.Id)!;
        Assert.Equal((1 << 18, 8, 1), KdfParameters(entity.Keystore));
        Assert.Equal($"{issuer.Address} {app.PrivateKeyOf(issuer)}", await DecryptWithEthersAsync(entity.Keystore));
    }

    [Fact]
    public async Task With_the_light_key_derivation_the_keystore_has_geths_light_parameters_and_ethers_decrypts_it()
    {
        await using var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_LIGHT_KDF"] = "true" });
        var issuer = await app.CreateIssuerAsync("Lightly Kept Academy");
        var entity = app.Services.GetRequiredService<IIssuerStore>().Find(issuer.Id)!;
        Assert.Equal((1 << 12, 8, 6), KdfParameters(entity.Keystore));
        Assert.Equal($"{issuer.Address} {app.PrivateKeyOf(issuer)}", await DecryptWithEthersAsync(entity.Keystore));
    }

    private static (int N, int R, int P) KdfParameters(string keystore)
    {
        var kdf = JsonNode.Parse(keystore)!["crypto"]!["kdfparams"]!;
        return (kdf["n"]!.GetValue<int>(), kdf["r"]!.GetValue<int>(), kdf["p"]!.GetValue<int>());
    }

    /// <summary>The address and private key ethers reads from the keystore with the tests' password.</summary>
    private static async Task<string> DecryptWithEthersAsync(string keystore)
    {
        var file = Path.Combine(TempFolder.Create(), "keystore.json");
        await File.WriteAllTextAsync(file, keystore);
        const string script = """
            const { Wallet } = require("ethers");
            const json = require("fs").readFileSync(process.argv[1], "utf8");
            Wallet.fromEncryptedJson(json, process.env.KEYSTORE_PASSWORD)
              .then(w => console.log(w.address.toLowerCase() + " " + w.privateKey))
              .catch(e => { console.error(e.message); process.exit(3); });
            """;
        var (exitCode, output) = await ProgramRunner.RunAsync("node", ["-e", script, file],
            start => start.Environment["KEYSTORE_PASSWORD"] = Password, timeoutSeconds: 120);
        Assert.True(exitCode == 0, output);
        return output.Trim();
    }

    [Fact]
    public void A_keystore_of_the_older_parameters_is_still_read_and_each_key_is_decrypted_once()
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var address = key.GetPublicAddress().ToLowerInvariant();
        var older = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(Password, key.GetPrivateKeyAsBytes(), address,
            new ScryptParams { Dklen = 32, N = 1 << 18, R = 1, P = 8 });
        var keyring = new IssuerKeyring(new RegistryOptions { KeystorePassword = Password }, NullLogger<IssuerKeyring>.Instance);
        var issuer = new IssuerEntity { Id = Guid.NewGuid().ToString(), Address = address, Keystore = older };

        Assert.Equal(key.GetPrivateKey(), keyring.PrivateKeyOf(issuer));
        // A keystore that no longer decrypts: the second use can only answer from what the first decrypted.
        issuer.Keystore = "{}";
        Assert.Equal(key.GetPrivateKey(), keyring.PrivateKeyOf(issuer));
    }
}
