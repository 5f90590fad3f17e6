using Registry.Hashing;
using Registry.Signatures;

namespace Registry.Verification.Checks;

public sealed class IssuerCheck : IVerificationCheck
{
    public string Name => "issuer";
    public string Description =>
        "The chain binds the issuer's signing key (issuer.id) to the account that anchored the root, and that account was trusted when it anchored; " +
        "the issuer is named by the name the chain holds.";
    public string Failure => "The issuer's key is not the one the blockchain binds to the account that recorded the batch, or that account was not admitted, or no longer trusted, then.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var account = context.IssuerDid;
        if (account.ChainId != context.Proof.Anchor.ChainId)
            return CheckOutcome.Fail($"The issuer's account {account} is an account on chain {account.ChainId}, but the root is anchored on chain {context.Proof.Anchor.ChainId}.");
        var verdict = context.Verdict!;
        var anchoredAt = verdict.AnchoredAt!.Value;
        var issuer = await context.Chain.GetIssuerAsync(account.Address, cancellationToken);
        if (issuer is null || verdict.SigningKey == Bytes32.Zero)
            return CheckOutcome.Fail($"{account} was not a trusted issuer when it anchored the root on {anchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}: it was never admitted.");

        // The document's issuer.name is a claim; the chain's name is the one shown.
        var bound = verdict.SigningKey;
        if (bound != Bytes32.FromSpan(context.IssuerKey))
            return CheckOutcome.Fail(
                $"The chain binds the signing key {DidKey.For(bound.ToArray())} to {account} ({issuer.Name}), but the credential's issuer is {context.IssuerId}: " +
                "the credential was signed with a key that is not the anchoring account's.");
        context.IssuerName = issuer.Name;
        if (verdict.IssuerTrusted)
            return CheckOutcome.Pass($"{issuer.Name} holds this signing key on chain and was an admitted issuer, trusted when it anchored.");

        var why = issuer switch
        {
            { RemovedAt: { } removed, TrustedUntil: { } until } when anchoredAt > until =>
                $"it was removed on {removed:yyyy-MM-dd'T'HH:mm:ss'Z'} and its anchors after {until:yyyy-MM-dd'T'HH:mm:ss'Z'} are void (its key was no longer trusted)",
            _ when anchoredAt < issuer.AddedAt => $"it was admitted only on {issuer.AddedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}",
            _ => "the contract does not trust this anchor",
        };
        return CheckOutcome.Fail($"{account} ({issuer.Name}) was not a trusted issuer when it anchored the root on {anchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}: {why}.");
    }
}
