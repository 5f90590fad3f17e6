using Registry.Api.Anchoring;
using Registry.Api.Outcomes;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Identity;

namespace Registry.Api.Issuers;

/// <summary>
/// A new issuer. <c>Url</c> and <c>Description</c>, when given, go into the issuer <c>Profile</c> of every credential it issues.
/// A name another issuer already has (in any case) is refused unless <c>AllowDuplicateName</c> is true.
/// </summary>
public sealed record CreateIssuerRequest(string? Name, string? Country, string? Url, string? Description, bool AllowDuplicateName = false);

/// <summary>
/// A new issuer: its account (<c>address</c>, <c>did</c>), the <c>did:key</c> of the Ed25519 key bound to
/// the account on chain (<c>didKey</c>), and its account's balance and the anchors that pays for, when
/// the chain could say.
/// </summary>
public sealed record CreatedIssuer(string Id, string Did, string Address, string DidKey, string ApiKey, string? BalanceWei = null, long? AnchorsAffordable = null);

/// <summary>A removal; with <c>CompromisedSince</c> (a past moment), anchors from then on are void.</summary>
public sealed record RemoveIssuerRequest(DateTimeOffset? CompromisedSince);

/// <summary>What a removal did: the issuer now, the last trusted moment, and what it voided.</summary>
public sealed record IssuerRemoval(IssuerProfile Issuer, DateTime TrustedUntil, IReadOnlyList<string> VoidedBatches, IReadOnlyList<string> VoidedCredentials);

/// <summary>
/// An issuer's public profile, with the <c>did:key</c> of its signing key (null for an issuer made before
/// contract version 3 that has not been admitted since); the admin's view adds the account's balance in
/// wei and how many anchors it pays for.
/// </summary>
public sealed record IssuerProfile(string Id, string Name, string Did, string Address, string? DidKey, string Status, string? Country, string? Url,
    string? Description, DateTime CreatedAt, DateTime? RemovedAt, DateTime? TrustedUntil, string? BalanceWei = null, long? AnchorsAffordable = null)
{
    public static IssuerProfile Of(IssuerEntity e) =>
        new(e.Id, e.Name, e.Did, e.Address, DidKeyOf(e), e.RemovedAt is null ? "active" : "removed", e.Country, e.Url, e.Description, e.CreatedAt,
            e.RemovedAt, e.TrustedUntil);

    public static string? DidKeyOf(IssuerEntity e) => e.SigningKey is { } key ? global::Registry.Signatures.DidKey.For(Hashing.Bytes32.Parse(key).ToArray()) : null;
}

/// <summary>
/// Creates issuers: a new Ethereum account and a new Ed25519 signing key, admitted on chain together
/// (the contract binds the key to the account for life) and funded on the local chain, with an API key.
/// The issuer, with its encrypted keys, is stored before the chain admits its account, as pending; a
/// creation cut short is completed or abandoned at the next connection (<see cref="RegistryChain"/>).
/// </summary>
public sealed class IssuerService(
    IIssuerStore issuers, IBatchStore batches, RegistryChain chain, IssuerKeyring keyring, IssuerFunding funding, ApiKeyDirectory keys, TimeProvider clock,
    Index.ChainFollower follower, ILogger<IssuerService> logger)
{
    /// <summary>The contract's limit on a name, in bytes of UTF-8.</summary>
    public const int MaxNameBytes = 256;

    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 2000;

    public async Task<Outcome<CreatedIssuer, Invalid, StateConflict>> CreateAsync(CreateIssuerRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || !IsUnicodeText(name) || System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            errors["/name"] = [$"name is required, at most {MaxNameBytes} bytes of UTF-8."];
        if (request.Country is { } country && !(country.Length == 2 && country.All(char.IsAsciiLetterUpper)))
            errors["/country"] = ["country must be an ISO 3166-1 alpha-2 code such as DE or KE."];
        // The URL goes into every credential's Profile, where JSON Schema's "uri" format applies: ASCII only.
        if (request.Url is { } url && !(url.Length <= MaxUrlLength && url.All(c => c is > ' ' and < '\u007f')
            && Registry.Web.HttpUrl.TryParse(url, out var uri) && uri.IsWellFormedOriginalString()))
            errors["/url"] = [$"url must be an absolute http(s) URL of at most {MaxUrlLength} characters, with non-ASCII characters percent-encoded."];
        var description = request.Description?.Trim();
        if (request.Description is not null && (string.IsNullOrEmpty(description) || description.Length > MaxDescriptionLength || !IsUnicodeText(description)))
            errors["/description"] = [$"description, when given, must be text of 1 to {MaxDescriptionLength} characters."];
        if (errors.Count > 0) return new Invalid("The issuer cannot be created.", errors);
        // Two issuers of one name look alike to whoever reads their credentials (names are compared without case).
        if (!request.AllowDuplicateName && issuers.FindByName(name!) is { } namesake)
            return new StateConflict($"Issuer {namesake.Id} ({(namesake.RemovedAt is null ? "active" : "removed")}) is already named '{namesake.Name}'. "
                + "To admit another issuer of that name all the same (a new account for the same institution, say), send \"allowDuplicateName\": true.");

        var state = await chain.GetAsync(cancellationToken);
        var account = await Task.Run(keyring.Create, cancellationToken);
        var apiKey = ApiKeyDirectory.NewKey();
        var issuer = new IssuerEntity
        {
            Id = Guid.NewGuid().ToString(),
            Name = name!,
            Country = request.Country,
            Url = request.Url,
            Description = description,
            Address = account.Address,
            Did = IssuerDid.For(state.ChainId, account.Address).ToString(),
            Keystore = account.Keystore,
            SigningKey = Hashing.Bytes32.FromSpan(account.SigningKey.PublicKey).ToString(),
            SealedSigningKey = account.SealedSigningKey,
            ApiKeyHash = ApiKeyDirectory.Hash(apiKey),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Admission = IssuerAdmission.Pending,
        };
        // The account's encrypted key is stored before the chain admits the account: a crash in between
        // leaves a pending issuer whose key is kept, never an admitted account whose key is lost.
        issuers.Add(issuer);
        try
        {
            await chain.WithOperatorAsync(state, async writer =>
            {
                await writer.AddIssuerAsync(account.Address, name!, Hashing.Bytes32.FromSpan(account.SigningKey.PublicKey));
                issuer.Admission = null;
                issuers.Update(issuer);
                await funding.FundNewAccountAsync(writer, state.ChainId, account.Address);
                return true;
            }, cancellationToken);
        }
        catch when (issuer.Admission is not null)
        {
            // Refused or cut off before the chain admitted it: the issuer never was, and its requester never had its key.
            issuer.Admission = IssuerAdmission.Failed;
            try
            {
                issuers.Update(issuer);
            }
            catch (Exception e)
            {
                logger.LogWarning("Issuer {Id}: its failed creation could not be recorded ({Message}); the next connection to the chain records it", issuer.Id, e.Message);
            }
            throw;
        }
        keyring.Remember(issuer.Id, account.PrivateKey, account.SigningKey);
        keys.Register(issuer.ApiKeyHash, new KeyHolder(Roles.Issuer, issuer.Id));
        var balance = await BalanceOrNullAsync(issuer.Address);
        return new CreatedIssuer(issuer.Id, issuer.Did, issuer.Address, IssuerProfile.DidKeyOf(issuer)!, apiKey, balance?.BalanceWei, balance?.AnchorsAffordable);
    }

    /// <summary>The profile with the account's balance, for the admin; without it while the chain cannot say.</summary>
    public async Task<IssuerProfile> WithBalanceAsync(IssuerEntity issuer) =>
        await BalanceOrNullAsync(issuer.Address) is { } balance
            ? IssuerProfile.Of(issuer) with { BalanceWei = balance.BalanceWei, AnchorsAffordable = balance.AnchorsAffordable }
            : IssuerProfile.Of(issuer);

    private async Task<IssuerBalance?> BalanceOrNullAsync(string address)
    {
        try
        {
            return await funding.BalanceOfAsync(address);
        }
        catch (Exception e) when (ChainConnection.IsUnreachable(e) || e is TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes the issuer on chain: it can no longer anchor or revoke. A plain removal keeps everything
    /// it anchored so far valid (trusted until the chain's latest block). With
    /// <paramref name="compromisedSince"/>, its key stopped being trusted just before that moment, and
    /// every anchor from then on is void; this may also lower the trust of an issuer already removed.
    /// </summary>
    public async Task<Outcome<IssuerRemoval, Unknown, StateConflict, Invalid>> RemoveAsync(string id, DateTimeOffset? compromisedSince, CancellationToken cancellationToken)
    {
        if (issuers.Find(id) is not { } issuer) return new Unknown($"Issuer {id}");
        if (issuer.RemovedAt is not null && compromisedSince is null)
            return new StateConflict($"Issuer {id} was already removed on {issuer.RemovedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.");

        var state = await chain.GetAsync(cancellationToken);
        if (await state.Reader.GetIssuerAsync(issuer.Address, cancellationToken) is not { } onChain)
            return new StateConflict($"Issuer {id} is not admitted in contract {state.Contract}.");
        // Anchors are timed by the chain, so "the past" is the chain's: its latest block.
        var chainNow = await chain.Connection.GetBlockTimeAsync(await chain.Connection.GetBlockNumberAsync());
        if (compromisedSince > chainNow)
            return new Invalid("The removal is invalid.", "/compromisedSince",
                $"compromisedSince must be a past moment: the chain's latest block is of {chainNow:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        var trustedUntil = compromisedSince is { } since ? Max(onChain.AddedAt, since.AddSeconds(-1)) : chainNow;
        trustedUntil = DateTimeOffset.FromUnixTimeSeconds(trustedUntil.ToUnixTimeSeconds());
        if (onChain.TrustedUntil is { } current && trustedUntil >= current)
            return new StateConflict(
                $"Issuer {id} is already trusted only until {current:yyyy-MM-dd'T'HH:mm:ss'Z'}; a later removal can only move that earlier.");

        var removal = await chain.WithOperatorAsync(state, writer => writer.RemoveIssuerAsync(issuer.Address, trustedUntil), cancellationToken);
        // The registry's own verifier answers from the chain index: let it see the removal before answering.
        await follower.CatchUpAsync(removal.BlockNumber, TimeSpan.FromSeconds(5));
        var record = await state.Reader.GetIssuerAsync(issuer.Address, cancellationToken);
        issuer.RemovedAt = (record?.RemovedAt ?? clock.GetUtcNow()).UtcDateTime;
        issuer.TrustedUntil = (record?.TrustedUntil ?? trustedUntil).UtcDateTime;

        var voided = issuers.Remove(issuer);
        var credentials = voided.SelectMany(batches.MembersOf).ToList();
        return new IssuerRemoval(IssuerProfile.Of(issuer), issuer.TrustedUntil.Value, voided.Select(b => b.Id).ToList(), credentials);
    }

    /// <summary>Text that has a UTF-8 form: no surrogate without its partner.</summary>
    private static bool IsUnicodeText(string text) => System.Text.Unicode.Utf8.FromUtf16(text, new byte[text.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public IReadOnlyList<IssuerProfile> List() =>
        issuers.All().Where(i => i.Admission is null).Select(IssuerProfile.Of).ToList();
}
