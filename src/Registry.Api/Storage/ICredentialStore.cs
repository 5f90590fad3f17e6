using Registry.Hashing;

namespace Registry.Api.Storage;

/// <summary>
/// Credentials as issued: each one's id, time, salt, digest, status index, issuer and canonical
/// document, which never change after <see cref="Add"/>, and whether a batch holds it yet (which
/// <see cref="IBatchStore"/> changes when it seals or reopens a batch).
/// </summary>
public interface ICredentialStore
{
    int Count { get; }

    /// <summary>
    /// Gives the issuer's next <paramref name="count"/> status indexes, consecutive, and returns the first.
    /// An acknowledged credential's index is never given again. An index reserved by a request that never
    /// stored may be: on the data folder after a restart, where only a stored credential makes an index
    /// taken. On a database shared by instances the counter is the database's, and such an index stays unused.
    /// </summary>
    long ReserveStatusIndexes(string issuerId, int count);

    /// <summary>Gives back the indexes of a refused request, if no request reserved any after them (else they stay unused).</summary>
    void ReleaseStatusIndexes(string issuerId, long first, int count);

    /// <summary>How many status indexes the issuer has given (or reserved): its lists cover these.</summary>
    long StatusIndexesOf(string issuerId);

    /// <summary>The status indexes of the issuer's credentials whose digest is in <paramref name="digests"/>.</summary>
    IReadOnlyList<long> StatusIndexesOf(string issuerId, IReadOnlySet<Bytes32> digests);

    /// <summary>Stores an issuer's new credentials, all or none: durable when this returns, then pending for a batch.</summary>
    void Add(string issuerId, IReadOnlyList<NewCredential> credentials);

    /// <summary>The credential with this id (as the API writes it), or null.</summary>
    StoredCredential? Find(string id);

    /// <summary>
    /// The issuer's credential whose status list entry names <paramref name="statusIndex"/>, or null (also for an issuer id not in
    /// the form the registry writes): how the registry finds its own credential when the credential's id is the issuer's own. No
    /// two stored credentials of an issuer share an index.
    /// </summary>
    StoredCredential? FindByStatusIndex(string issuerId, long statusIndex);

    /// <summary>The credential's salt and canonical document, checked against what was stored.</summary>
    /// <exception cref="InvalidDataException">The stored record was changed outside the registry.</exception>
    StoredDocument Read(StoredCredential credential);

    /// <summary>How many credentials each issuer has waiting for a batch, and since when.</summary>
    IReadOnlyList<(string IssuerId, int Count, DateTime Oldest)> PendingByIssuer();

    /// <summary>Issuers whose pending credentials fill a batch or have waited long enough.</summary>
    IReadOnlyList<string> Due(int maxBatchSize, TimeSpan maxDelay, DateTime now) =>
        PendingByIssuer().Where(p => p.Count >= maxBatchSize || now - p.Oldest >= maxDelay).Select(p => p.IssuerId).ToList();

    /// <summary>The issuer's oldest pending credentials, at most <paramref name="max"/>, in order of age; null when none waits.</summary>
    PendingSelection? SelectPending(string issuerId, int max);
}
