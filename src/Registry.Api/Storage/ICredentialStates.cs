namespace Registry.Api.Storage;

/// <summary>A credential with what its state is made of: the batch that holds it (if any) and its revocation (if any).</summary>
public sealed record CredentialState(StoredCredential Credential, BatchEntity? Batch, RevocationEntity? Revocation);

/// <summary>
/// Reads a credential together with its batch and its revocation, as a credential's status needs them: one
/// query on a database, where asking the three stores in turn would make three round trips.
/// </summary>
public interface ICredentialStates
{
    /// <summary>The credential of this id (as the API writes it) with its batch and revocation, or null.</summary>
    CredentialState? Find(string id);
}

/// <summary>The three stores asked in turn: on the data folder each answer comes from memory or a local file.</summary>
internal sealed class StoreCredentialStates(ICredentialStore credentials, IBatchStore batches, IRevocationStore revocations) : ICredentialStates
{
    public CredentialState? Find(string id) => credentials.Find(id) is { } credential
        ? new CredentialState(credential, credential.BatchId is null ? null : batches.Find(credential.BatchId), revocations.Find(credential.Id))
        : null;
}
