namespace Registry.Api.Storage;

/// <summary>
/// Issuers: their profiles, their accounts' encrypted keys and their API keys' hashes. Every
/// operation is atomic; an issuer is never deleted.
/// </summary>
public interface IIssuerStore
{
    /// <summary>The issuer of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    IssuerEntity? Find(string id);

    /// <summary>An admitted issuer of this name, compared without case; null when none has it.</summary>
    IssuerEntity? FindByName(string name);

    /// <summary>The issuer whose API key has this SHA-256 hash, whatever its admission; null when none has it.</summary>
    IssuerEntity? FindByApiKeyHash(string hash);

    /// <summary>Every issuer, oldest first, with those whose creation has not completed (<see cref="IssuerEntity.Admission"/>).</summary>
    IReadOnlyList<IssuerEntity> All();

    void Add(IssuerEntity issuer);

    /// <summary>Stores the issuer's changed fields (a signing key made for an issuer from before contract version 3).</summary>
    void Update(IssuerEntity issuer);

    /// <summary>
    /// Stores the issuer's removal (its <c>RemovedAt</c> and <c>TrustedUntil</c>) and marks voided every
    /// batch of it anchored after <c>TrustedUntil</c>, in one operation; returns those batches.
    /// </summary>
    IReadOnlyList<BatchEntity> Remove(IssuerEntity issuer);
}

/// <summary>Auditors and their API keys' hashes.</summary>
public interface IAuditorStore
{
    void Add(AuditorEntity auditor);

    /// <summary>The auditor whose API key has this SHA-256 hash; null when none has it.</summary>
    AuditorEntity? FindByApiKeyHash(string hash);

    IReadOnlyList<AuditorEntity> All();
}
