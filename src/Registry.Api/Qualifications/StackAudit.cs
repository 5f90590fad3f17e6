using Registry.Api.Outcomes;
using Registry.Api.Storage;

namespace Registry.Api.Qualifications;

/// <summary>A component a qualification rests on, as its award's evidence references it.</summary>
public sealed record StackComponent(string Id, string? Title, string Issuer, string AnchoredBy, string Digest, long ChainId, string Registry);

/// <summary>A qualification awarded on the strength of a credential: the award's credential id, the qualification and the learner.</summary>
public sealed record Dependant(string Id, string QualificationId, string Qualification, string IssuerId, string Subject, DateTime AwardedAt);

/// <summary>
/// Where a credential of this registry stands in stacks: the components it rests on (when it awards a
/// qualification) and the qualifications that rest on it (its dependants), so that revoking it shows whom it affects.
/// </summary>
public sealed record CredentialStack(
    string Id, string Digest, string IssuerId, string? QualificationId, IReadOnlyList<StackComponent> Components, IReadOnlyList<Dependant> Dependants);

/// <summary>Reads stacks from the awards the registry recorded (<see cref="IQualificationStore"/>).</summary>
public sealed class StackAudit(IQualificationStore store, ICredentialStore credentials)
{
    public Outcome<CredentialStack, Unknown> Of(string id)
    {
        if (credentials.Find(id) is not { } credential) return new Unknown($"Credential {id}");
        var award = store.FindAward(credential.Id);
        var components = award?.Components.Select(c =>
            new StackComponent(c.CredentialId, c.Title, c.Issuer, c.IssuerAccount, c.Digest, c.ChainId, c.Registry)).ToList() ?? [];
        return new CredentialStack(credential.Id, credential.Digest.ToString(), credential.IssuerId, award?.QualificationId, components,
            DependantsOfDigest(credential.Digest.ToString()));
    }

    public Outcome<List<Dependant>, Unknown> DependantsOf(string id)
    {
        if (credentials.Find(id) is not { } credential) return new Unknown($"Credential {id}");
        return DependantsOfDigest(credential.Digest.ToString());
    }

    /// <summary>The qualifications that rest on any of these credentials of this registry, each once.</summary>
    public IReadOnlyList<Dependant> DependantsOf(IEnumerable<string> ids) =>
        ids.Select(credentials.Find).OfType<StoredCredential>().SelectMany(c => DependantsOfDigest(c.Digest.ToString()))
            .DistinctBy(d => d.Id).ToList();

    private List<Dependant> DependantsOfDigest(string digest)
    {
        var names = new Dictionary<string, string>();
        return store.AwardsRestingOn(digest).OrderBy(a => a.AwardedAt).Select(a => new Dependant(a.Id, a.QualificationId,
            names.TryGetValue(a.QualificationId, out var name) ? name : names[a.QualificationId] = store.Find(a.QualificationId)?.Name ?? "",
            a.IssuerId, a.Subject, a.AwardedAt)).ToList();
    }
}
