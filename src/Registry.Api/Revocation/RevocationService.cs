using System.Text;
using Registry.Anchoring;
using Registry.Api.Anchoring;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;
using RevocationOutcome = Registry.Api.Outcomes.Outcome<Registry.Api.Revocation.RevocationResult, Registry.Api.Outcomes.Invalid,
    Registry.Api.Issuers.IssuerRemoved, Registry.Api.Outcomes.Unknown, Registry.Api.Outcomes.StateConflict>;

namespace Registry.Api.Revocation;

public sealed record RevokeRequest(string? Reason);

public sealed record RevokeManyRequest(IReadOnlyList<string>? Ids, string? Reason);

public sealed record RevocationResult(
    IReadOnlyList<string> Ids, string Status, DateTime RevokedAt, string Reason, string TransactionHash, long GasUsed, long GasPerCredential)
{
    /// <summary>The qualifications that rested on the revoked credentials, which now fail their <c>components</c> check.</summary>
    public IReadOnlyList<Qualifications.Dependant> Dependants { get; init; } = [];
}

/// <summary>
/// Revokes anchored credentials on chain: one with its Merkle proof, or several of one batch with one
/// multiproof. An active issuer revokes from its own account; once an issuer is removed, the operator
/// revokes for it (<c>revokeFor</c>), and the contract records it under the same issuer.
/// </summary>
public sealed class RevocationService(
    IIssuerStore issuers, ICredentialStore store, IBatchStore batches, IRevocationStore revocations, RegistryChain chain, IssuerAccounts accounts,
    IssuerFunding funding, BatchTrees trees, Index.ChainFollower follower,
    ILogger<RevocationService> logger)
{
    public const int MaxReasonLength = 256;
    public const int MaxIdsPerRequest = 1000;

    /// <summary>Revokes as the issuer itself, which must still be active.</summary>
    public Task<RevocationOutcome> RevokeAsync(IssuerEntity issuer, IReadOnlyList<string>? ids, string? reason, CancellationToken ct) =>
        RevokeAsync(issuer, ids, reason, byOperator: false, ct);

    /// <summary>Revokes as the operator for a removed issuer, of the id the request names: a closed institution, a stolen key.</summary>
    public async Task<RevocationOutcome> RevokeForRemovedAsync(string issuerId, IReadOnlyList<string>? ids, string? reason, CancellationToken ct) =>
        issuers.Find(issuerId) is { } issuer ? await RevokeAsync(issuer, ids, reason, byOperator: true, ct) : new Unknown($"Issuer {issuerId}");

    private async Task<RevocationOutcome> RevokeAsync(IssuerEntity issuer, IReadOnlyList<string>? ids, string? reason, bool byOperator, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            errors["/reason"] = ["reason is required: it is published on chain with the revocation."];
        else if (reason.Length > MaxReasonLength || Encoding.UTF8.GetByteCount(reason) > MaxReasonLength)
            errors["/reason"] = [$"reason must be at most {MaxReasonLength} characters and {MaxReasonLength} bytes of UTF-8."];
        if (ids is null || ids.Count == 0 || ids.Count > MaxIdsPerRequest)
            errors["/ids"] = [$"ids must list from 1 to {MaxIdsPerRequest} credential ids."];
        else if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            errors["/ids"] = ["ids must not repeat a credential."];
        if (errors.Count > 0) return new Invalid("The revocation request is invalid.", errors);
        if (!byOperator && IssuerRemoved.Refuses(issuer, IssuerAct.Revoke) is { } removed) return removed;
        if (byOperator && issuer.RemovedAt is null)
            return new StateConflict($"Issuer {issuer.Id} is active: it revokes its own credentials. The operator revokes only for a removed issuer.");

        var credentials = new List<StoredCredential>(ids!.Count);
        foreach (var id in ids)
        {
            if (store.Find(id) is not { } credential || credential.IssuerId != issuer.Id) return new Unknown($"Credential {id}");
            credentials.Add(credential);
        }
        foreach (var credential in credentials)
            if (revocations.Find(credential.Id) is { } earlier)
                return new StateConflict($"Credential {credential.Id} was already revoked on {earlier.RevokedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        var batchIds = credentials.Select(c => c.BatchId).Distinct().ToList();
        if (batchIds.Count > 1)
            return new Invalid("All credentials of one revocation must be in the same batch; send one request per batch.");
        var batch = batchIds[0] is { } batchId ? batches.Find(batchId) : null;
        if (batch is not { State: BatchStates.Anchored })
            return new StateConflict("Only anchored credentials can be revoked; wait until the batch is anchored.");

        var state = await chain.GetAsync(ct);
        if (batch.Contract != state.Contract)
            return new StateConflict($"The batch was anchored in contract {batch.Contract}, which this registry no longer uses.");
        var tree = trees.Get(batch);
        var indices = credentials.Select(c => tree.TryIndexOf(c.Digest, out var index)
            ? index : throw new InvalidOperationException($"Credential {c.Id} is not in the tree of batch {batch.Id}.")).ToList();

        Task<MinedTransaction> Send(RegistryWriter writer, string? forIssuer) => credentials.Count == 1
            ? writer.RevokeAsync(tree.Root, tree.GetDigest(indices[0]), tree.GetProof(indices[0]), reason!, forIssuer)
            : writer.RevokeManyAsync(tree.Root, tree.GetMultiProof(indices), reason!, forIssuer);

        // The issuer's account pays; say who must send how much rather than pass on the node's bare refusal.
        if (!byOperator && await funding.ShortfallAsync(issuer, state, await funding.CostAsync(IssuerFunding.RevocationGas), "revoking") is { } shortfall)
            return new CannotPay($"Cannot revoke: {shortfall}");

        MinedTransaction mined;
        try
        {
            mined = byOperator
                ? await chain.WithOperatorAsync(state, writer => Send(writer, issuer.Address), ct)
                : await accounts.SendAsync(issuer, state, writer => Send(writer, null));
        }
        catch (ContractRevertedException e) when (e.ErrorName == "AlreadyRevoked")
        {
            // The chain knows a revocation the store does not (the registry stopped before recording it): record it now.
            await RecordFromChainAsync(credentials, state, issuer.Id, issuer.Address);
            return new StateConflict("The contract says a credential of this request is already revoked; the registry's record now shows it.");
        }
        var revokedAt = (await chain.Connection.GetBlockTimeAsync(mined.BlockNumber)).UtcDateTime;
        // Shown as revoking until the block has the confirmations anchoring waits for too (the anchoring loop confirms it).
        var pending = state.Confirmations > 0;
        var recorded = credentials.Select(c => new RevocationEntity
        {
            Id = c.Id, IssuerId = issuer.Id, BatchId = batch.Id, Digest = c.Digest.ToString(),
            RevokedAt = revokedAt, Reason = reason!, Transaction = mined.Hash, Block = mined.BlockNumber, Pending = pending,
        }).ToList();
        revocations.Record(recorded);
        logger.LogInformation("Revoked {Count} credential(s) of batch {Batch} for issuer {Issuer} in {Transaction} (block {Block}): {Reason}",
            credentials.Count, batch.Id, issuer.Address, mined.Hash, mined.BlockNumber, reason);
        // The registry's own verifier answers from the chain index: let it see this block before answering.
        await follower.CatchUpAsync(mined.BlockNumber, TimeSpan.FromSeconds(5));
        return new RevocationResult(credentials.Select(c => c.Id).ToList(), pending ? "revoking" : "revoked", revokedAt, reason!, mined.Hash, mined.GasUsed,
            mined.GasUsed / credentials.Count);
    }

    /// <summary>Records what the chain says of the issuer's own revocations; anyone else's revocations of these digests do not count.</summary>
    private async Task RecordFromChainAsync(IReadOnlyList<StoredCredential> credentials, ChainState state, string issuerId, string issuerAddress)
    {
        var found = new List<RevocationEntity>();
        foreach (var credential in credentials)
        {
            if (await state.Reader.GetRevocationAsync(issuerAddress, credential.Digest) is not { } revocation) continue;
            found.Add(new RevocationEntity
            {
                Id = credential.Id, IssuerId = issuerId, BatchId = credential.BatchId ?? "", Digest = credential.Digest.ToString(),
                RevokedAt = revocation.RevokedAt.UtcDateTime, Reason = revocation.Reason ?? "", Block = revocation.BlockNumber, Pending = state.Confirmations > 0,
            });
        }
        if (found.Count > 0) revocations.Record(found);
    }
}
