using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Registry.Chain.Contract;

// Typed messages for the CredentialRegistry ABI; the ABI itself ships in CredentialRegistry.json.

[Function("addIssuer")]
public sealed class AddIssuerFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("string", "name", 2)] public string Name { get; set; } = "";
    [Parameter("bytes32", "signingKey", 3)] public byte[] SigningKey { get; set; } = [];
}

[Function("removeIssuer")]
public sealed class RemoveIssuerFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("uint64", "trustedUntil", 2)] public ulong TrustedUntil { get; set; }
}

[Function("issuerOf", typeof(IssuerOfOutput))]
public sealed class IssuerOfFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
}

[FunctionOutput]
public sealed class IssuerOfOutput : IFunctionOutputDTO
{
    [Parameter("string", "name", 1)] public string Name { get; set; } = "";
    [Parameter("uint64", "addedAt", 2)] public ulong AddedAt { get; set; }
    [Parameter("uint64", "removedAt", 3)] public ulong RemovedAt { get; set; }
    [Parameter("uint64", "trustedUntil", 4)] public ulong TrustedUntil { get; set; }
    [Parameter("bytes32", "signingKey", 5)] public byte[] SigningKey { get; set; } = [];
}

[Function("anchor")]
public sealed class AnchorFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("uint32", "count", 2)] public uint Count { get; set; }
}

[Function("anchorOf", typeof(AnchorOfOutput))]
public sealed class AnchorOfFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
}

[FunctionOutput]
public sealed class AnchorOfOutput : IFunctionOutputDTO
{
    [Parameter("uint64", "anchoredAt", 1)] public ulong AnchoredAt { get; set; }
    [Parameter("uint32", "count", 2)] public uint Count { get; set; }
}

[Function("revoke")]
public sealed class RevokeFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32", "digest", 2)] public byte[] Digest { get; set; } = [];
    [Parameter("bytes32[]", "proof", 3)] public List<byte[]> Proof { get; set; } = [];
    [Parameter("string", "reason", 4)] public string Reason { get; set; } = "";
}

[Function("revokeMany")]
public sealed class RevokeManyFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32[]", "digests", 2)] public List<byte[]> Digests { get; set; } = [];
    [Parameter("bytes32[]", "proof", 3)] public List<byte[]> Proof { get; set; } = [];
    [Parameter("bool[]", "proofFlags", 4)] public List<bool> ProofFlags { get; set; } = [];
    [Parameter("string", "reason", 5)] public string Reason { get; set; } = "";
}

[Function("revokeFor")]
public sealed class RevokeForFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32", "digest", 3)] public byte[] Digest { get; set; } = [];
    [Parameter("bytes32[]", "proof", 4)] public List<byte[]> Proof { get; set; } = [];
    [Parameter("string", "reason", 5)] public string Reason { get; set; } = "";
}

[Function("revokeManyFor")]
public sealed class RevokeManyForFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32[]", "digests", 3)] public List<byte[]> Digests { get; set; } = [];
    [Parameter("bytes32[]", "proof", 4)] public List<byte[]> Proof { get; set; } = [];
    [Parameter("bool[]", "proofFlags", 5)] public List<bool> ProofFlags { get; set; } = [];
    [Parameter("string", "reason", 6)] public string Reason { get; set; } = "";
}

[Function("revocationOf", typeof(RevocationOfOutput))]
public sealed class RevocationOfFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "digest", 2)] public byte[] Digest { get; set; } = [];
}

[FunctionOutput]
public sealed class RevocationOfOutput : IFunctionOutputDTO
{
    [Parameter("uint64", "revokedAt", 1)] public ulong RevokedAt { get; set; }
    [Parameter("uint64", "blockNumber", 2)] public ulong BlockNumber { get; set; }
}

[Function("verify", typeof(VerifyOutput))]
public sealed class VerifyFunction : FunctionMessage
{
    [Parameter("address", "issuer", 1)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32", "digest", 3)] public byte[] Digest { get; set; } = [];
    [Parameter("bytes32[]", "proof", 4)] public List<byte[]> Proof { get; set; } = [];
}

[FunctionOutput]
public sealed class VerifyOutput : IFunctionOutputDTO
{
    [Parameter("bool", "included", 1)] public bool Included { get; set; }
    [Parameter("uint64", "anchoredAt", 2)] public ulong AnchoredAt { get; set; }
    [Parameter("uint32", "count", 3)] public uint Count { get; set; }
    [Parameter("bool", "issuerTrusted", 4)] public bool IssuerTrusted { get; set; }
    [Parameter("uint64", "revokedAt", 5)] public ulong RevokedAt { get; set; }
    [Parameter("bytes32", "signingKey", 6)] public byte[] SigningKey { get; set; } = [];
}

[Function("VERSION", "uint256")]
public sealed class VersionFunction : FunctionMessage;

[Function("owner", "address")]
public sealed class OwnerFunction : FunctionMessage;

[Event("IssuerAdded")]
public sealed class IssuerAddedEvent : IEventDTO
{
    [Parameter("address", "issuer", 1, true)] public string Issuer { get; set; } = "";
    [Parameter("string", "name", 2, false)] public string Name { get; set; } = "";
    [Parameter("bytes32", "signingKey", 3, false)] public byte[] SigningKey { get; set; } = [];
}

[Event("IssuerRemoved")]
public sealed class IssuerRemovedEvent : IEventDTO
{
    [Parameter("address", "issuer", 1, true)] public string Issuer { get; set; } = "";
    [Parameter("uint64", "trustedUntil", 2, false)] public ulong TrustedUntil { get; set; }
}

[Event("Anchored")]
public sealed class AnchoredEvent : IEventDTO
{
    [Parameter("address", "issuer", 1, true)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "root", 2, true)] public byte[] Root { get; set; } = [];
    [Parameter("uint32", "count", 3, false)] public uint Count { get; set; }
}

[Event("Revoked")]
public sealed class RevokedEvent : IEventDTO
{
    [Parameter("address", "issuer", 1, true)] public string Issuer { get; set; } = "";
    [Parameter("bytes32", "digest", 2, true)] public byte[] Digest { get; set; } = [];
    [Parameter("bytes32", "root", 3, true)] public byte[] Root { get; set; } = [];
    [Parameter("string", "reason", 4, false)] public string Reason { get; set; } = "";
}

/// <summary>Deploys the contract from the bytecode compiled by Hardhat and shipped with this assembly.</summary>
public sealed class RegistryDeployment() : ContractDeploymentMessage(ContractArtifact.Bytecode);

internal static class Units
{
    public static DateTimeOffset? Time(ulong unixSeconds) => Registry.Verification.ChainTime.FromUnixSeconds(unixSeconds);

    public static BigInteger Wei(decimal ether) => new(ether * 1_000_000_000_000_000_000m);
}
