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

    void AddAward(AwardEntity award);

    /// <summary>The award whose credential has this id, or null when that credential is no award.</summary>
    AwardEntity? FindAward(string credentialId);

    /// <summary>The awards that rest on a component of this digest (0x-prefixed lowercase hex).</summary>
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

    public LiteQualificationStore(RegistryDatabase database)
    {
        _qualifications = database.Collection<QualificationEntity>("qualifications");
        _awards = database.Collection<AwardEntity>("awards");
        _qualifications.EnsureIndex(x => x.CreatedAt);
        _awards.EnsureIndex("ComponentDigests", "$.ComponentDigests[*]");
    }

    public void Add(QualificationEntity qualification) => _qualifications.Insert(qualification);

    public QualificationEntity? Find(string id) => RegistryIds.IsGuid(id) ? _qualifications.FindById(id) : null;

    public IReadOnlyList<QualificationEntity> List() => _qualifications.Query().OrderBy(x => x.CreatedAt).ToList();

    public void AddAward(AwardEntity award) => _awards.Insert(award);

    public AwardEntity? FindAward(string credentialId) => RegistryIds.IsGuid(credentialId) ? _awards.FindById(credentialId) : null;

    public IReadOnlyList<AwardEntity> AwardsRestingOn(string digest) =>
        _awards.Find(BsonExpression.Create("$.ComponentDigests[*] ANY = @0", new BsonValue(digest))).ToList();
}
