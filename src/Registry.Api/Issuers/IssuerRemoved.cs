using Registry.Api.Outcomes;
using Registry.Api.Storage;

namespace Registry.Api.Issuers;

/// <summary>What an issuer does with its key; a removed issuer may do none of it.</summary>
public enum IssuerAct
{
    Issue,
    Seal,
    Revoke,
}

/// <summary>The issuer was removed from the registry: it may not issue, seal or revoke any more.</summary>
public sealed record IssuerRemoved(string Detail) : Refusal(Detail)
{
    /// <summary>The refusal of <paramref name="act"/> by a removed issuer; null while the issuer is active.</summary>
    public static IssuerRemoved? Refuses(IssuerEntity issuer, IssuerAct act) => issuer.RemovedAt is null ? null : new(act switch
    {
        IssuerAct.Issue => "This issuer was removed from the registry and can no longer issue.",
        IssuerAct.Seal => "This issuer was removed and can no longer anchor.",
        _ => "This issuer was removed from the registry and can no longer revoke; the operator revokes for it now.",
    });
}
