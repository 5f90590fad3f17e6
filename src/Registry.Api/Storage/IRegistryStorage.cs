namespace Registry.Api.Storage;

/// <summary>
/// One store per aggregate, all kept in one place: the data folder (LiteDB and two logs) by default.
/// Handlers and services depend on the stores alone, never on what keeps them.
/// </summary>
public interface IRegistryStorage : IDisposable
{
    IIssuerStore Issuers { get; }
    IAuditorStore Auditors { get; }
    ICredentialStore Credentials { get; }
    IBatchStore Batches { get; }
    IRevocationStore Revocations { get; }
    IChainEventStore ChainEvents { get; }
    ISettingsStore Settings { get; }
    IQualificationStore Qualifications { get; }
    IOfferStore Offers { get; }

    /// <summary>Credentials with their batch and revocation, read at once (by default from the three stores in turn).</summary>
    ICredentialStates CredentialStates => new StoreCredentialStates(Credentials, Batches, Revocations);

    /// <summary>Which instance anchors: always this one on the data folder, one at a time among those sharing a database.</summary>
    IAnchoringLeases Leases { get; }

    /// <summary>Chain accounts' locks, held across the instances that share the store.</summary>
    IAccountLocks AccountLocks { get; }

    /// <summary>True when <paramref name="e"/> means what keeps the stores cannot be reached for now (a database that stopped): the API answers 503.</summary>
    bool IsOutage(Exception e) => false;
}

/// <summary>What keeps the stores cannot be reached or used (a database that does not answer, or refuses the registry's login).</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
