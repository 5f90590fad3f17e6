using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
using Registry.Api.Index;
using Registry.Api.Outcomes;
using Registry.Api.Verification;
using Registry.Api.Problems;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Audit;
using Registry.Chain;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Merkle;

namespace Registry.Api.Audit;

/// <summary>A page of the contract's events, as of the block the chain index has read to; <c>next</c> is the next page's address.</summary>
public sealed record EventPage(long FromBlock, long ToBlock, IReadOnlyList<RegistryEvent> Events, string? Next, BlockView AsOf);

public sealed record BatchAudit(
    string Id, string Issuer, bool Matches, string StoredRoot, string RecomputedRoot, string? ChainRoot, int StoredCount, uint? ChainCount,
    string? ChainIssuer, DateTimeOffset? AnchoredAt, IReadOnlyList<string> AlteredCredentials, IReadOnlyList<string> Findings, BlockView AsOf);

public sealed record RevocationEntry(
    string Digest, string Issuer, string? Reason, DateTimeOffset RevokedAt, string TransactionHash, long BlockNumber, string? CredentialId);

/// <summary>A page of revocations, as of the chain index's block; <c>next</c> is the next page's address.</summary>
public sealed record RevocationPage(IReadOnlyList<RevocationEntry> Items, string? Next, BlockView AsOf);

/// <summary>
/// The auditor's view, answered from the chain index (which follows the contract's events block by
/// block) rather than by scanning the chain on each request, and the store checked against it. Each
/// answer says the block it is true as of. `registry audit` reads the chain itself.
/// </summary>
public static class AuditEndpoints
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Auditor)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/events", async Task<Results<Ok<EventPage>, Problem<Invalid>>> (ChainFollower follower, long? fromBlock, long? toBlock,
                long? afterLogIndex, int? limit) =>
            {
                var from = fromBlock ?? 0;
                var to = toBlock ?? long.MaxValue;
                if (Paging.Refuses(skip: null, limit) is { } invalid) return Problem.Of(invalid);
                var size = Paging.Limit(limit);
                if (from < 0 || to < from) return Problem.Of(new Invalid("fromBlock must be at least 0 and at most toBlock."));
                var asOf = await IndexedAsync(follower);
                var (events, more) = follower.Index.Events(from, afterLogIndex ?? -1, to, size);
                var next = more
                    ? $"/audit/events?fromBlock={events[^1].BlockNumber}&afterLogIndex={events[^1].LogIndex}&toBlock={to}&limit={size}"
                    : null;
                return TypedResults.Ok(new EventPage(from, Math.Min(to, asOf.BlockNumber), events, next, asOf));
            })
            .WithSummary("The contract's events (issuers added and removed, anchors, revocations), from the chain index, in pages, as of a stated block.");

        group.MapGet("/batches/{id}", async Task<Results<Ok<BatchAudit>, Problem<Unknown>>> (string id, IIssuerStore issuers, ICredentialStore store,
                IBatchStore batches, ChainFollower follower) =>
                batches.Find(id) is { } batch
                    ? TypedResults.Ok(await AuditBatchAsync(batch, issuers, store, batches, follower))
                    : Problem.Of(new Unknown($"Batch {id}")))
            .WithBatchId()
            .WithSummary("Recomputes a batch's root from the stored credentials and compares it with what the chain recorded (from the chain index).");

        group.MapGet("/revocations", async Task<Results<Ok<RevocationPage>, Problem<Unknown>, Problem<Invalid>>> (IIssuerStore issuers,
                IBatchStore batches, BatchTrees trees, ChainFollower follower, string? issuer, string? since, long? fromBlock, long? afterLogIndex, int? limit) =>
            {
                string? address = null;
                if (issuer is not null && (address = IssuerAddress(issuer, issuers)) is null) return Problem.Of(new Unknown($"Issuer {issuer}"));
                DateTimeOffset? after = null;
                if (since is not null)
                {
                    if (!XsdDateTime.TryParse(since, out var parsed))
                        return Problem.Of(new Invalid("since must be a date-time with a time zone, such as 2026-01-31T00:00:00Z."));
                    after = parsed;
                }
                var from = fromBlock ?? 0;
                if (from < 0) return Problem.Of(new Invalid("fromBlock must be at least 0."));
                if (Paging.Refuses(skip: null, limit) is { } invalid) return Problem.Of(invalid);
                var size = Paging.Limit(limit);
                var asOf = await IndexedAsync(follower);
                var (events, more) = follower.Index.Events(from, afterLogIndex ?? -1, long.MaxValue, size, address, RegistryEventTypes.Revoked, after);
                var credentials = new RevokedCredentials(batches, trees);
                var items = events.Select(e => new RevocationEntry(e.Digest!, e.Issuer, e.Reason, e.Timestamp, e.TransactionHash, e.BlockNumber,
                    credentials.IdOf(e))).ToList();
                var next = more
                    ? $"/audit/revocations?fromBlock={events[^1].BlockNumber}&afterLogIndex={events[^1].LogIndex}&limit={size}"
                        + (issuer is null ? "" : $"&issuer={Uri.EscapeDataString(issuer)}") + (since is null ? "" : $"&since={Uri.EscapeDataString(since)}")
                    : null;
                return TypedResults.Ok(new RevocationPage(items, next, asOf));
            })
            .WithSummary("Revocations with dates and reasons, from the chain index, in pages; filter by issuer (id, DID or address) and since (a date-time).");

        return routes;
    }

    /// <summary>The block the index has read to, after a short wait for the node's head; 503 before the index has read anything.</summary>
    private static async Task<BlockView> IndexedAsync(ChainFollower follower)
    {
        await follower.CatchUpToHeadAsync(CatchUp);
        return BlockView.Of(follower.Index.Cursor) ?? throw new ChainIndexNotReadyException();
    }

    private static async Task<BatchAudit> AuditBatchAsync(BatchEntity batch, IIssuerStore issuers, ICredentialStore store, IBatchStore batches,
        ChainFollower follower)
    {
        var issuer = issuers.Find(batch.IssuerId);
        var findings = new List<string>();

        // Recompute every member's digest from its stored document and salt, compare it with the digest sealed into the
        // batch's tree, then build the root from the recomputed digests. A record that no longer matches its checksum
        // was changed on disk outside the registry, and counts as altered.
        var members = batches.SealedMembersOf(batch);
        var altered = new List<string>();
        var digests = new List<Bytes32>(members.Count);
        foreach (var (member, sealedDigest) in members)
        {
            var recomputed = Bytes32.Zero;
            if (store.Find(member) is { } credential)
            {
                try
                {
                    var stored = store.Read(credential);
                    recomputed = CredentialDigest.Compute(stored.Salt, System.Text.Encoding.UTF8.GetBytes(stored.Document));
                }
                catch (InvalidDataException)
                {
                    // Damaged on disk: stays zero, so it is reported as altered.
                }
            }
            if (recomputed != sealedDigest) altered.Add(member);
            digests.Add(recomputed);
        }
        if (altered.Count > 0) findings.Add($"{altered.Count} stored credential(s) no longer hash to their recorded digest.");
        if (members.Count != batch.Count) findings.Add($"The batch records {batch.Count} credentials, the store holds {members.Count}.");
        var recomputedRoot = digests.Count > 0 && digests.Distinct().Count() == digests.Count ? MerkleTree.Build(digests.ToArray()).Root.ToString() : "";

        string? chainRoot = null, chainIssuer = null;
        uint? chainCount = null;
        DateTimeOffset? anchoredAt = null;
        var asOf = await IndexedAsync(follower);
        if (batch.State != BatchStates.Anchored)
            findings.Add($"The batch is {batch.State}, not anchored yet.");
        else if (batch.Contract is { } contract && contract != follower.Contract)
            findings.Add($"The batch was anchored in contract {contract}, which this registry no longer follows.");
        else
        {
            // What the chain says this batch's transaction anchored, independent of the stored root.
            var receipt = follower.Index.ReceiptOf(batch.TransactionHash ?? "");
            if (receipt is null || receipt.Anchors.Count == 0) findings.Add($"No Anchored event in the batch's transaction {batch.TransactionHash}.");
            else
            {
                var (anchorIssuer, anchorRoot) = receipt.Anchors[0];
                var anchored = follower.Index.AnchorOf(anchorIssuer, anchorRoot)!;
                chainRoot = anchorRoot.ToString();
                chainCount = anchored.Count;
                chainIssuer = anchorIssuer;
                anchoredAt = anchored.AnchoredAt;
                if (chainRoot != recomputedRoot) findings.Add("The root recomputed from the stored credentials differs from the root on chain.");
                if (chainRoot != batch.Root) findings.Add("The stored root differs from the root on chain.");
                if (chainCount != (uint)batch.Count) findings.Add($"The chain recorded {chainCount} credentials, the store {batch.Count}.");
                if (issuer is null || chainIssuer != issuer.Address) findings.Add($"The chain says {chainIssuer} anchored the batch, not the stored issuer.");
            }
        }
        var matches = findings.Count == 0;
        return new BatchAudit(batch.Id, batch.IssuerId, matches, batch.Root, recomputedRoot, chainRoot, batch.Count, chainCount, chainIssuer,
            anchoredAt, altered, findings, asOf);
    }

    /// <summary>The address of an issuer named by its address, its DID or its id in this registry; null for an id the registry does not hold.</summary>
    private static string? IssuerAddress(string issuer, IIssuerStore issuers)
    {
        if (IssuerDid.IsAddress(issuer)) return issuer.ToLowerInvariant();
        if (IssuerDid.TryParse(issuer, out var did)) return did.Address;
        return issuers.Find(issuer)?.Address;
    }

    /// <summary>
    /// The registry's credential a revocation names, if it holds it. A revocation is the issuer's own:
    /// its (issuer, root) names the batch, and the digest the member. Each batch's members are read once per page.
    /// </summary>
    private sealed class RevokedCredentials(IBatchStore batches, BatchTrees trees)
    {
        private readonly Dictionary<string, IReadOnlyList<string>> _members = new(StringComparer.Ordinal);

        public string? IdOf(RegistryEvent revocation)
        {
            if (revocation.Root is null || revocation.Digest is null) return null;
            var batchId = BatchIds.For(revocation.Issuer, Bytes32.Parse(revocation.Root));
            if (batches.Find(batchId) is not { } batch) return null;
            if (!_members.TryGetValue(batchId, out var members)) _members[batchId] = members = batches.MembersOf(batch);
            return trees.Get(batch).TryIndexOf(Bytes32.Parse(revocation.Digest), out var index) ? members[index] : null;
        }
    }
}
