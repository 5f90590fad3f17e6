using Registry.Api.Anchoring;
using Registry.Api.Problems;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Identity;

namespace Registry.Api.Issuers;

public sealed record CreateIssuerRequest(string? Name, string? Country, string? Url);

public sealed record CreatedIssuer(string Id, string Did, string Address, string ApiKey);

public sealed record IssuerProfile(string Id, string Name, string Did, string Address, string Status, string? Country, string? Url, DateTime CreatedAt, DateTime? RemovedAt)
{
    public static IssuerProfile Of(IssuerEntity e) =>
        new(e.Id, e.Name, e.Did, e.Address, e.RemovedAt is null ? "active" : "removed", e.Country, e.Url, e.CreatedAt, e.RemovedAt);
}

/// <summary>Creates issuers: a new Ethereum account, admitted on chain and funded on the local chain, with an API key.</summary>
public sealed class IssuerService(
    RegistryDatabase database, RegistryChain chain, IssuerKeyring keyring, ApiKeyDirectory keys, RegistryOptions options, TimeProvider clock)
{
    /// <summary>The contract's limit on a name, in bytes of UTF-8.</summary>
    public const int MaxNameBytes = 256;

    public async Task<CreatedIssuer> CreateAsync(CreateIssuerRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            errors["name"] = [$"name is required, at most {MaxNameBytes} bytes of UTF-8."];
        if (request.Country is { } country && !(country.Length == 2 && country.All(char.IsAsciiLetterUpper)))
            errors["country"] = ["country must be an ISO 3166-1 alpha-2 code such as DE or KE."];
        if (request.Url is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            errors["url"] = ["url must be an absolute http(s) URL."];
        if (errors.Count > 0) throw ProblemException.Validation("The issuer cannot be created.", errors);

        var state = await chain.GetAsync(cancellationToken);
        var account = await Task.Run(keyring.Create, cancellationToken);
        await chain.OperatorLock.WaitAsync(cancellationToken);
        try
        {
            await state.Operator.AddIssuerAsync(account.Address, name!);
            if (state.ChainId == DevelopmentChain.ChainId)
                await state.Operator.FundAsync(account.Address, options.IssuerFunding);
        }
        finally
        {
            chain.OperatorLock.Release();
        }

        var apiKey = ApiKeyDirectory.NewKey();
        var issuer = new IssuerEntity
        {
            Id = Guid.NewGuid().ToString(),
            Name = name!,
            Country = request.Country,
            Url = request.Url,
            Address = account.Address,
            Did = IssuerDid.For(state.ChainId, account.Address).ToString(),
            Keystore = account.Keystore,
            ApiKeyHash = ApiKeyDirectory.Hash(apiKey),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        database.Issuers.Insert(issuer);
        keyring.Remember(issuer.Id, account.PrivateKey);
        keys.Register(issuer.ApiKeyHash, new KeyHolder(Roles.Issuer, issuer.Id));
        return new CreatedIssuer(issuer.Id, issuer.Did, issuer.Address, apiKey);
    }

    /// <summary>Removes the issuer on chain: it can no longer anchor or revoke; what it anchored before stays valid.</summary>
    public async Task<IssuerProfile> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var issuer = Find(id) ?? throw ProblemException.NotFound($"Issuer {id}");
        if (issuer.RemovedAt is not null)
            throw ProblemException.Conflict($"Issuer {id} was already removed on {issuer.RemovedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        var state = await chain.GetAsync(cancellationToken);
        await chain.OperatorLock.WaitAsync(cancellationToken);
        try
        {
            var onChain = await state.Reader.GetIssuerAsync(issuer.Address, cancellationToken);
            if (onChain?.RemovedAt is null) await state.Operator.RemoveIssuerAsync(issuer.Address);
        }
        finally
        {
            chain.OperatorLock.Release();
        }
        var record = await state.Reader.GetIssuerAsync(issuer.Address, cancellationToken);
        issuer.RemovedAt = (record?.RemovedAt ?? clock.GetUtcNow()).UtcDateTime;
        database.Issuers.Update(issuer);
        return IssuerProfile.Of(issuer);
    }

    public IssuerEntity? Find(string id) => id.Length <= 64 ? database.Issuers.FindById(id) : null;

    public IReadOnlyList<IssuerProfile> List() =>
        database.Issuers.FindAll().OrderBy(i => i.CreatedAt).Select(IssuerProfile.Of).ToList();
}
