namespace Registry.Api.Storage;

/// <summary>The registry's revocations of its credentials, by credential id.</summary>
public interface IRevocationStore
{
    RevocationEntity? Find(string credentialId);

    /// <summary>Stores the revocations of one transaction, all or none (replacing any of the same credentials).</summary>
    void Record(IReadOnlyList<RevocationEntity> revocations);

    /// <summary>Revocations whose block does not have its confirmations yet.</summary>
    IReadOnlyList<RevocationEntity> Pending();

    /// <summary>The revocation's block has its confirmations: it shows revoked.</summary>
    void Confirm(RevocationEntity revocation);

    /// <summary>Forgets a revocation a reorganisation undid, so that the credential can be revoked again.</summary>
    void Clear(string credentialId);
}
