using LiteDB;

namespace Registry.Api.Storage;

/// <summary>
/// Qualifications and their awards: what a stack of credentials adds up to, and which credentials each
/// award rests on. Kept behind an interface of its own, so that its storage can change without its users.
/// </summary>
public interface IQualificationStore
{
    void Add(QualificationEntity qualification);

    /// <summary>The qualification of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    QualificationEntity? Find(string id);

    /// <summary>Every qualification, oldest first.</summary>
    IReadOnlyList<QualificationEntity> List();

    /// <summary>
    /// Stores an award's record, before its credential is stored: an award counts only once its credential is,
    /// so a record a crash left without its credential is found by neither read below.
    /// </summary>
    void AddAward(AwardEntity award);

    /// <summary>The award whose credential has this id, or null when that credential is no award (or was never stored).</summary>
    AwardEntity? FindAward(string credentialId);

    /// <summary>The awards, with their credentials stored, that rest on a component of this digest (0x-prefixed lowercase hex).</summary>
    IReadOnlyList<AwardEntity> AwardsRestingOn(string digest);
}

public sealed class QualificationEntity
{
    public string Id { get; set; } = "";
    /// <summary>The issuer that defined it, and the only one that awards it.</summary>
    public string IssuerId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Criteria { get; set; } = "";
    public List<RequirementEntity> Requires { get; set; } = [];
    public int Minimum { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One credential a qualification asks for: an achievement, from any issuer or from the one named (its did:key or did:pkh).</summary>
public sealed class RequirementEntity
{
    public string Achievement { get; set; } = "";
    public string? Issuer { get; set; }
}

/// <summary>A qualification awarded: the credential issued for it (its id is the award's) and the components it rests on.</summary>
public sealed class AwardEntity
{
    public string Id { get; set; } = "";
    public string QualificationId { get; set; } = "";
    public string IssuerId { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateTime AwardedAt { get; set; }
    public List<ComponentEntity> Components { get; set; } = [];
    /// <summary>The components' digests again, flat, for the index that finds the awards resting on a credential.</summary>
    public List<string> ComponentDigests { get; set; } = [];
}

/// <summary>A component as the award's evidence references it.</summary>
public sealed class ComponentEntity
{
    public string CredentialId { get; set; } = "";
    public string? Title { get; set; }
    public string Issuer { get; set; } = "";
    public string IssuerAccount { get; set; } = "";
    public string Digest { get; set; } = "";
    public long ChainId { get; set; }
    public string Registry { get; set; } = "";
}

/// <summary>The qualifications and awards in the registry's LiteDB file, in collections of their own.</summary>
public sealed class LiteQualificationStore : IQualificationStore
{
    private readonly ILiteCollection<QualificationEntity> _qualifications;
    private readonly ILiteCollection<AwardEntity> _awards;
    private readonly ICredentialStore _credentials;

    public LiteQualificationStore(RegistryDatabase database, ICredentialStore credentials)
    {
        _credentials = credentials;
        _qualifications = database.Collection<QualificationEntity>("qualifications");
        _awards = database.Collection<AwardEntity>("awards");
        _qualifications.EnsureIndex(x => x.CreatedAt);
        _awards.EnsureIndex("ComponentDigests", "$.ComponentDigests[*]");
    }

    public void Add(QualificationEntity qualification) => _qualifications.Insert(qualification);

    public QualificationEntity? Find(string id) => RegistryIds.IsGuid(id) ? _qualifications.FindById(id) : null;

    public IReadOnlyList<QualificationEntity> List() => _qualifications.Query().OrderBy(x => x.CreatedAt).ToList();

    public void AddAward(AwardEntity award) => _awards.Insert(award);

    public AwardEntity? FindAward(string credentialId) =>
        RegistryIds.IsGuid(credentialId) && _awards.FindById(credentialId) is { } award && Issued(award) ? award : null;

    public IReadOnlyList<AwardEntity> AwardsRestingOn(string digest) =>
        _awards.Find(BsonExpression.Create("$.ComponentDigests[*] ANY = @0", new BsonValue(digest))).Where(Issued).ToList();

    /// <summary>Whether the award's credential was stored after its record (the credential log's index answers from memory).</summary>
    private bool Issued(AwardEntity award) => _credentials.Find(award.Id) is not null;
}
