using System.Collections.Concurrent;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Chain;

namespace Registry.Api.Issuers;

/// <summary>
/// Signs the contract's transactions for issuers. Anchoring and revocation share an account's nonce
/// sequence, so each account sends one transaction at a time: within this instance, and among the
/// instances that share a database, through its account lock (the anchoring instance may anchor for an
/// issuer while another revokes for it).
/// </summary>
public sealed class IssuerAccounts(RegistryChain chain, IssuerKeyring keyring, IAccountLocks locks)
{
    private readonly ConcurrentDictionary<string, RegistryWriter> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="send"/> with the issuer's writer, alone among that issuer's transactions.</summary>
    public async Task<T> SendAsync<T>(IssuerEntity issuer, ChainState state, Func<RegistryWriter, Task<T>> send)
    {
        var gate = _locks.GetOrAdd(issuer.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            await using var held = await locks.HoldAsync(issuer.Address, CancellationToken.None);
            var writer = _writers.GetOrAdd($"{issuer.Id}@{state.Contract}",
                _ => new RegistryWriter(chain.Connection, keyring.PrivateKeyOf(issuer), state.ChainId, state.Contract));
            return await send(writer);
        }
        finally
        {
            gate.Release();
        }
    }
}
