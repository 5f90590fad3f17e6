using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Issuers;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;
using Registry.Signatures;
using Registry.Tests.Infrastructure;
using Registry.Verification.Rpc;

namespace Registry.Tests.Issuers;

/// <summary>Each issuer's Ed25519 signing key: made with the issuer, bound to its account on chain, sealed at rest, the same after a restart.</summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class SigningKeyTests(SharedRegistry registry)
{
    private static readonly HttpClient Http = new();
    private static readonly byte[] Message = "a message the issuer signs"u8.ToArray();

    [Fact]
    public async Task An_issuer_created_through_the_API_has_on_chain_the_key_the_registry_keeps()
    {
        var created = await registry.App.CreateIssuerAsync("Bound Keys Polytechnic");
        var entity = registry.App.Services.GetRequiredService<IIssuerStore>().Find(created.Id)!;
        var kept = Bytes32.FromSpan(registry.App.Services.GetRequiredService<IssuerKeyring>().SigningKeyOf(entity).PublicKey);

        var onChain = await new JsonRpcChainReader(Http, registry.Node.RpcUrl, registry.Contract).GetIssuerAsync(created.Address);
        Assert.NotNull(onChain);
        Assert.Equal(kept, onChain.SigningKey);
        Assert.Equal(DidKey.For(kept.ToArray()), created.DidKey);
        Assert.StartsWith("did:key:z6Mk", created.DidKey);

        // The public profile and the list name the same did:key.
        var profile = await registry.App.CreateClient().GetFromJsonAsync<JsonObject>($"/issuers/{created.Id}");
        Assert.Equal(created.DidKey, profile!["didKey"]!.GetValue<string>());
        var listed = await registry.App.CreateClient().GetFromJsonAsync<JsonArray>("/issuers");
        Assert.Contains(listed!, p => p!["id"]!.GetValue<string>() == created.Id && p["didKey"]!.GetValue<string>() == created.DidKey);

        // Two issuers never share a key.
        Assert.NotEqual(registry.Issuer.DidKey, created.DidKey);
    }

    [Fact]
    public async Task The_key_is_stored_sealed_and_a_restarted_registry_signs_with_the_same_key()
    {
        var dataDir = TempFolder.Create();
        Infrastructure.CreatedIssuer created;
        byte[] seed, signature;
        await using (var app = new RegistryApp(registry.Node.RpcUrl, dataDir))
        {
            created = await app.CreateIssuerAsync("Sealed Keys Academy");
            var entity = app.Services.GetRequiredService<IIssuerStore>().Find(created.Id)!;
            var keyring = app.Services.GetRequiredService<IssuerKeyring>();
            seed = keyring.SigningKeyOf(entity).PrivateKey;
            signature = keyring.Sign(entity, Message);
        }

        // Nothing the registry keeps holds the seed, raw or in a text form: no file of the data folder, no row of its database.
        var forms = new[] { seed, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(seed)), Encoding.ASCII.GetBytes(Convert.ToHexString(seed)),
            Encoding.ASCII.GetBytes(Convert.ToBase64String(seed)) };
        var atRest = await TestStore.AtRestAsync(dataDir);
        Assert.NotEmpty(atRest);
        foreach (var (where, bytes) in atRest)
            foreach (var form in forms) Assert.True(bytes.AsSpan().IndexOf(form) < 0, $"{where} holds the signing key in the clear");

        // A new run opens the sealed key and signs as the first did, with the key the chain binds.
        await using var restarted = new RegistryApp(registry.Node.RpcUrl, dataDir);
        // This data folder's registry deployed a contract of its own.
        var contract = (await restarted.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["registry"]!.GetValue<string>();
        var stored = restarted.Services.GetRequiredService<IIssuerStore>().Find(created.Id)!;
        var again = restarted.Services.GetRequiredService<IssuerKeyring>().Sign(stored, Message);
        Assert.Equal(signature, again);
        var onChain = await new JsonRpcChainReader(Http, registry.Node.RpcUrl, contract).GetIssuerAsync(created.Address);
        Assert.True(Ed25519Keys.Verify(onChain!.SigningKey.ToArray(), Message, again));
        Assert.False(Ed25519Keys.Verify(onChain.SigningKey.ToArray(), "another message"u8, again));
    }

    [Fact]
    public async Task A_sealed_key_opens_only_for_its_own_account()
    {
        var issuers = registry.App.Services.GetRequiredService<IIssuerStore>();
        var keyring = registry.App.Services.GetRequiredService<IssuerKeyring>();
        var other = await registry.App.CreateIssuerAsync("Borrowed Keys College");
        var victim = issuers.Find(registry.Issuer.Id)!;
        var thief = issuers.Find(other.Id)!;

        // The victim's sealed seed copied onto another issuer's record does not open with that issuer's account key.
        var swapped = new IssuerEntity
        {
            Id = Guid.NewGuid().ToString(), Address = thief.Address, Keystore = thief.Keystore,
            SigningKey = victim.SigningKey, SealedSigningKey = victim.SealedSigningKey,
        };
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => keyring.SigningKeyOf(swapped));
    }
}
