using Registry.Credentials;
using Registry.Hashing;
using Registry.Signatures;
using Registry.Stacks;

namespace Registry.Verification.Checks;

/// <summary>
/// A stacked qualification holds only while its components do. Each component its <c>evidence</c>
/// references (<see cref="ComponentReference"/>) is checked by the chain alone, as of today: anchored by
/// the account named, which the chain binds to the component's issuer key and trusted when it anchored,
/// in a registry this verifier trusts, and not revoked. A credential that references no component passes.
/// </summary>
public sealed class ComponentsCheck : IVerificationCheck
{
    public string Name => "components";
    public string Description =>
        "Every credential a qualification rests on (its evidence) is anchored by its issuer, trusted then, and not revoked today, by the chain alone.";
    public string Failure => "A credential this qualification rests on is revoked, voided or not anchored as its evidence says.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var components = ComponentReference.ComponentsOf(context.Credential, errors);
        if (!errors.IsEmpty) return CheckOutcome.Fail($"The evidence's component references do not read: {errors}");
        if (components.Count == 0) return CheckOutcome.Pass("The credential rests on no other credential.");

        var failures = new List<string>();
        foreach (var component in components)
            if (await FailureOf(component, context, cancellationToken) is { } failure)
                failures.Add($"{Named(component)} {failure}");
        return failures.Count == 0
            ? CheckOutcome.Pass($"All {components.Count} components are anchored by their issuers, trusted then, and none is revoked today.")
            : CheckOutcome.Fail($"{failures.Count} of {components.Count} components do not hold: {string.Join(" ", failures)}");
    }

    /// <summary>Why the component does not hold today, or null when it does.</summary>
    private static async Task<string?> FailureOf(ComponentReference component, VerificationContext context, CancellationToken cancellationToken)
    {
        if (component.AnchoredBy.ChainId != component.ChainId)
            return $"names account {component.AnchoredBy}, of chain {component.AnchoredBy.ChainId}, but an anchor on chain {component.ChainId}.";
        var chain = context.Registries.Find(component.ChainId, component.Registry);
        if (chain is null)
            return $"is anchored in registry {component.Registry} on chain {component.ChainId}, which this verifier does not trust.";
        var served = await chain.GetChainIdAsync(cancellationToken);
        if (served != component.ChainId)
            return $"is anchored on chain {component.ChainId}, but the RPC endpoint of its registry serves chain {served}.";
        var verdict = await chain.VerifyAsync(component.AnchoredBy.Address, component.MerkleRoot, component.Digest, component.MerkleProof, cancellationToken);
        if (verdict.AnchoredAt is null)
            return $"was never anchored by {component.AnchoredBy.Address} with root {component.MerkleRoot}.";
        if (!verdict.Included)
            return $"is not in the anchored root {component.MerkleRoot}: the contract refuses its Merkle proof.";
        var key = DidKey.Resolve(component.Issuer);
        if (verdict.SigningKey == Bytes32.Zero || key.PublicKey is null || verdict.SigningKey != Bytes32.FromSpan(key.PublicKey))
            return $"names issuer {component.Issuer}, but the chain binds another key, or none, to the account {component.AnchoredBy} that anchored it.";
        if (!verdict.IssuerTrusted)
            return $"is void: its issuer {component.AnchoredBy} was not trusted when it anchored it on {verdict.AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.";
        if (verdict.RevokedAt is { } revokedAt)
            return $"was revoked by its issuer on {revokedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.";
        if (verdict.RevocationUnconfirmed)
            throw new NodeUnavailableException(UncheckedReason.NodeUnreachable,
                $"Whether {Named(component)} was revoked could not be confirmed: its chain cannot be reached, and what is known of it is as of block " +
                $"{verdict.AsOf?.Number}, too long ago.");
        return null;
    }

    private static string Named(ComponentReference component) => component.Name is { } name ? $"'{name}' ({component.Id})" : component.Id;
}
