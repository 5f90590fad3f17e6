using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
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

public sealed record EventPage(long FromBlock, long ToBlock, IReadOnlyList<RegistryEvent> Events, string? Next);

public sealed record BatchAudit(
    string Id, string Issuer, bool Matches, string StoredRoot, string RecomputedRoot, string? ChainRoot, int StoredCount, uint? ChainCount,
    string? ChainIssuer, DateTimeOffset? AnchoredAt, IReadOnlyList<string> AlteredCredentials, IReadOnlyList<string> Findings);

public sealed record RevocationEntry(
    string Digest, string Issuer, string? Reason, DateTimeOffset RevokedAt, string TransactionHash, long BlockNumber, string? CredentialId);

/// <summary>The auditor's view: read from the chain, and the store checked against it.</summary>
public static class AuditEndpoints
{
    public const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Auditor)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/events", async Task<Ok<EventPage>> (RegistryChain chain, long? fromBlock, long? toBlock, long? afterLogIndex, int? limit, CancellationToken ct) =>
            {
                var state = await chain.GetAsync(ct);
                var from = fromBlock ?? 0;
                var latest = await chain.Connection.GetBlockNumberAsync();
                var to = toBlock ?? latest;
                var size = Math.Clamp(limit ?? 100, 1, MaxPage);
                if (from < 0 || to < from) throw ProblemException.BadRequest("fromBlock must be at least 0 and at most toBlock.");
                // Blocks beyond the chain's head hold nothing yet; nodes may stall on such ranges.
                IReadOnlyList<RegistryEvent> events = from > latest ? [] : await new RegistryEventLog(chain.Connection, state.Contract).ReadAsync(from, Math.Min(to, latest));
                var remaining = events.Where(e => afterLogIndex is null || e.BlockNumber > from || e.LogIndex > afterLogIndex).ToList();
                var page = remaining.Take(size).ToList();
                var next = remaining.Count > size
                    ? $"/audit/events?fromBlock={page[^1].BlockNumber}&afterLogIndex={page[^1].LogIndex}&toBlock={to}&limit={size}"
                    : null;
                return TypedResults.Ok(new EventPage(from, to, page, next));
            })
            .WithSummary("The contract's events (issuers added and removed, anchors, revocations), decoded from the chain, in pages.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/batches/{id}", async Task<Ok<BatchAudit>> (string id, RegistryDatabase database, RegistryChain chain, CancellationToken ct) =>
                TypedResults.Ok(await AuditBatchAsync(id, database, chain, ct)))
            .WithSummary("Recomputes a batch's root from the stored credentials and compares it with what the chain recorded.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/revocations", async Task<Ok<IReadOnlyList<RevocationEntry>>> (RegistryDatabase database, RegistryChain chain, string? issuer, string? since, CancellationToken ct) =>
            {
                var address = issuer is null ? null : IssuerAddress(issuer, database);
                DateTimeOffset? after = null;
                if (since is not null)
                    after = XsdDateTime.TryParse(since, out var parsed) ? parsed
                        : throw ProblemException.BadRequest("since must be a date-time with a time zone, such as 2026-01-31T00:00:00Z.");
                var state = await chain.GetAsync(ct);
                var latest = await chain.Connection.GetBlockNumberAsync();
                var events = await new RegistryEventLog(chain.Connection, state.Contract).ReadAsync(0, latest, address, RegistryEventTypes.Revoked);
                IReadOnlyList<RevocationEntry> entries = events.Where(e => after is null || e.Timestamp >= after)
                    .Select(e => new RevocationEntry(e.Digest!, e.Issuer, e.Reason, e.Timestamp, e.TransactionHash, e.BlockNumber,
                        database.Credentials.FindOne(c => c.Digest == e.Digest)?.Id))
                    .ToList();
                return TypedResults.Ok(entries);
            })
            .WithSummary("Revocations read from the chain, with dates and reasons; filter by issuer (id, DID or address) and since (a date-time).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<BatchAudit> AuditBatchAsync(string id, RegistryDatabase database, RegistryChain chain, CancellationToken ct)
    {
        var batch = (id.Length <= 64 ? database.Batches.FindById(id) : null) ?? throw ProblemException.NotFound($"Batch {id}");
        var issuer = database.Issuers.FindById(batch.IssuerId);
        var findings = new List<string>();

        // Recompute every member's digest from its stored document and salt, then the root from those digests.
        var members = database.Credentials.Find(c => c.BatchId == batch.Id).ToList();
        var altered = new List<string>();
        var digests = new List<Bytes32>(members.Count);
        foreach (var member in members)
        {
            Bytes32 recomputed;
            try
            {
                recomputed = CredentialDigest.Compute(Bytes32.Parse(member.Salt), System.Text.Encoding.UTF8.GetBytes(member.Document));
            }
            catch (FormatException)
            {
                recomputed = Bytes32.Zero;
            }
            if (recomputed.ToString() != member.Digest) altered.Add(member.Id);
            digests.Add(recomputed);
        }
        if (altered.Count > 0) findings.Add($"{altered.Count} stored credential(s) no longer hash to their recorded digest.");
        if (members.Count != batch.Count) findings.Add($"The batch records {batch.Count} credentials, the store holds {members.Count}.");
        var recomputedRoot = digests.Count > 0 && digests.Distinct().Count() == digests.Count ? MerkleTree.Build(digests.ToArray()).Root.ToString() : "";

        string? chainRoot = null, chainIssuer = null;
        uint? chainCount = null;
        DateTimeOffset? anchoredAt = null;
        if (batch.State != BatchStates.Anchored)
            findings.Add($"The batch is {batch.State}, not anchored yet.");
        else
        {
            var state = await chain.GetAsync(ct);
            // What the chain says this batch's transaction anchored, independent of the stored root.
            var events = await new RegistryEventLog(chain.Connection, batch.Contract ?? state.Contract)
                .ReadAsync(batch.BlockNumber ?? 0, batch.BlockNumber ?? await chain.Connection.GetBlockNumberAsync(), null, RegistryEventTypes.Anchored);
            var anchored = events.FirstOrDefault(e => e.TransactionHash == batch.TransactionHash);
            if (anchored is null) findings.Add($"No Anchored event in the batch's transaction {batch.TransactionHash}.");
            else
            {
                chainRoot = anchored.Root;
                chainCount = anchored.Count;
                chainIssuer = anchored.Issuer;
                anchoredAt = anchored.Timestamp;
                if (chainRoot != recomputedRoot) findings.Add("The root recomputed from the stored credentials differs from the root on chain.");
                if (chainRoot != batch.Root) findings.Add("The stored root differs from the root on chain.");
                if (chainCount != (uint)batch.Count) findings.Add($"The chain recorded {chainCount} credentials, the store {batch.Count}.");
                if (issuer is null || chainIssuer != issuer.Address) findings.Add($"The chain says {chainIssuer} anchored the batch, not the stored issuer.");
            }
        }
        var matches = findings.Count == 0;
        return new BatchAudit(batch.Id, batch.IssuerId, matches, batch.Root, recomputedRoot, chainRoot, batch.Count, chainCount, chainIssuer,
            anchoredAt, altered, findings);
    }

    private static string IssuerAddress(string issuer, RegistryDatabase database)
    {
        if (IssuerDid.IsAddress(issuer)) return issuer.ToLowerInvariant();
        if (IssuerDid.TryParse(issuer, out var did)) return did.Address;
        return (issuer.Length <= 64 ? database.Issuers.FindById(issuer) : null)?.Address
            ?? throw ProblemException.NotFound($"Issuer {issuer}");
    }
}
