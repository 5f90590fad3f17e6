using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Stacks;
using Registry.Verification;

namespace Registry.Portfolio;

/// <summary>
/// One credential of a portfolio with its verdict, and what a reader scans for: its title, who issued it
/// and when. A stacked qualification lists in <see cref="Components"/> each component its evidence
/// references, with the file of the presentation that is that component (nested) or why there is none;
/// <see cref="ComponentOf"/> gives the qualifications this credential is nested under, by index.
/// </summary>
public sealed record PortfolioEntry(int Index, string? Id, string? Title, string? ClaimedIssuer, string? IssuedOn, VerificationReport Report)
{
    public IReadOnlyList<PortfolioComponent> Components { get; init; } = [];
    public IReadOnlyList<int> ComponentOf { get; init; } = [];
}

/// <summary>How a component a qualification references was found in the presentation.</summary>
public enum ComponentMatch
{
    /// <summary>A file of the presentation hashes to the digest the reference holds: it is nested under the qualification.</summary>
    Matched,
    /// <summary>A file of the presentation has the component's id but hashes to another digest: not the credential the qualification rests on.</summary>
    DigestDiffers,
    /// <summary>No file of the presentation is the component; the qualification's <c>components</c> check still answers for it from the chain.</summary>
    NotInPortfolio,
}

/// <summary>The words the API, the CLI's JSON and the page use for how a component was found.</summary>
public static class PortfolioWords
{
    public static string Of(ComponentMatch match) => match switch
    {
        ComponentMatch.Matched => "matched",
        ComponentMatch.DigestDiffers => "digest-differs",
        _ => "not-in-portfolio",
    };
}

/// <summary>
/// A component a qualification's evidence references (its id, title and digest), and the file of the
/// presentation found for it: <see cref="Credential"/> when one hashes to that digest, only
/// <see cref="Index"/> when the file with its id hashes to another.
/// </summary>
public sealed record PortfolioComponent(string Id, string? Name, string Digest, ComponentMatch Match, int? Index, PortfolioEntry? Credential);

/// <summary>A portfolio's verdict: verified only when every credential is; no verdict when none failed but one could not be checked.</summary>
public sealed record PortfolioReport(IReadOnlyList<PortfolioEntry> Credentials)
{
    /// <summary>The top of the tree: every credential not nested under a qualification of the same presentation, in the order given.</summary>
    public IReadOnlyList<PortfolioEntry> Roots => Credentials.Where(c => c.ComponentOf.Count == 0).ToList();

    public VerificationOutcome Outcome =>
        Credentials.Any(c => c.Report.Outcome == VerificationOutcome.NotVerified) ? VerificationOutcome.NotVerified
        : Credentials.Any(c => c.Report.Outcome == VerificationOutcome.CouldNotCheck) ? VerificationOutcome.CouldNotCheck
        : VerificationOutcome.Verified;

    public bool Verified => Outcome == VerificationOutcome.Verified;

    /// <summary>The verdict in one English sentence, naming the credentials that did not verify.</summary>
    public string Summary
    {
        get
        {
            var failed = Credentials.Where(c => c.Report.Outcome != VerificationOutcome.Verified).ToList();
            var named = string.Join("; ", failed.Select(c => $"{c.Index}. {c.Title ?? c.Id ?? "untitled"}: {c.Report.Summary}"));
            return Outcome switch
            {
                VerificationOutcome.Verified => $"Verified: all {Credentials.Count} credentials of the portfolio verified.",
                VerificationOutcome.CouldNotCheck => $"Could not check {failed.Count} of {Credentials.Count} credentials; none failed. {named}",
                _ => $"Not verified: {failed.Count(c => c.Report.Outcome == VerificationOutcome.NotVerified)} of {Credentials.Count} credentials did not verify. {named}",
            };
        }
    }
}

/// <summary>What a document turned out to be, verified: one credential, a portfolio, or a presentation refused before anything was verified.</summary>
public abstract record DocumentVerdict
{
    public sealed record Credential(VerificationReport Report) : DocumentVerdict;
    public sealed record Portfolio(PortfolioReport Report) : DocumentVerdict;
    public sealed record Refused(string Reason) : DocumentVerdict;
}

/// <summary>
/// Verifies a portfolio credential by credential with the one pipeline (<see cref="CredentialVerifier"/>),
/// and tells a presentation from a single credential, so that the API, the CLI and the page accept either.
/// </summary>
public sealed class PortfolioVerifier(CredentialVerifier verifier, bool onThreads = true)
{
    /// <summary>Verifies UTF-8 JSON that is a credential or a presentation.</summary>
    public async Task<DocumentVerdict> VerifyAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        JsonNode? document;
        try
        {
            document = StrictJson.Parse(utf8Json.Span);
        }
        catch (JsonException)
        {
            // Not acceptable JSON (InexactJsonException included): the pipeline says why, at format.
            return new DocumentVerdict.Credential(await verifier.VerifyAsync(utf8Json, cancellationToken));
        }
        if (!Presentation.Is(document))
            return new DocumentVerdict.Credential(await verifier.VerifyAsync(document, cancellationToken));
        var reading = Presentation.Read((JsonObject)document!);
        if (reading.Refusal is { } reason) return new DocumentVerdict.Refused(reason);
        return new DocumentVerdict.Portfolio(await VerifyAsync(reading.Credentials, cancellationToken));
    }

    /// <summary>
    /// Verifies each credential in full; they are independent, so they run together: <paramref name="onThreads"/>
    /// on as many threads as the host has (checks answered from an index complete without yielding, so each
    /// gets a task of its own), else interleaved where they wait for a node (the browser has one thread).
    /// </summary>
    public async Task<PortfolioReport> VerifyAsync(IReadOnlyList<JsonObject> credentials, CancellationToken cancellationToken = default)
    {
        var reports = await Task.WhenAll(credentials.Select(c => onThreads
            ? Task.Run(() => verifier.VerifyAsync(c, cancellationToken), cancellationToken)
            : verifier.VerifyAsync(c, cancellationToken)));
        return new PortfolioReport(Nest(credentials, reports));
    }

    /// <summary>
    /// The entries, each qualification with its components: a reference is matched to the file that hashes to
    /// the digest it holds (whatever the file's verdict), else named as differing when a file has its id but
    /// another digest, else as not in the portfolio. A matched file is nested under each qualification that
    /// references it.
    /// </summary>
    private static List<PortfolioEntry> Nest(IReadOnlyList<JsonObject> credentials, IReadOnlyList<VerificationReport> reports)
    {
        var byDigest = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < credentials.Count; i++)
        {
            if (reports[i].Digest is { } digest) byDigest.TryAdd(digest, i);
            if (CredentialClaims.Text(credentials[i]["id"]) is { } id) byId.TryAdd(id, i);
        }
        var links = new List<(ComponentReference Reference, ComponentMatch Match, int? At)>[credentials.Count];
        var nestedUnder = Enumerable.Range(0, credentials.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < credentials.Count; i++)
        {
            // A reference that does not read is the components check's to name; it nests nothing.
            links[i] = [];
            foreach (var reference in ComponentReference.ComponentsOf(credentials[i], new ValidationErrors()))
            {
                if (byDigest.TryGetValue(reference.Digest.ToString(), out var at) && at != i)
                {
                    links[i].Add((reference, ComponentMatch.Matched, at));
                    if (!nestedUnder[at].Contains(i + 1)) nestedUnder[at].Add(i + 1);
                }
                else if (byId.TryGetValue(reference.Id, out var other))
                    links[i].Add((reference, ComponentMatch.DigestDiffers, other));
                else
                    links[i].Add((reference, ComponentMatch.NotInPortfolio, null));
            }
        }

        // Built from the leaves up; a digest commits to the evidence, so references cannot form a cycle, and were one
        // forged it would end where it meets itself.
        var built = new PortfolioEntry?[credentials.Count];
        var building = new bool[credentials.Count];
        PortfolioEntry Build(int i)
        {
            if (built[i] is { } done) return done;
            building[i] = true;
            var components = links[i].Select(link => new PortfolioComponent(
                link.Reference.Id, link.Reference.Name, link.Reference.Digest.ToString(), link.Match,
                link.At is { } at ? at + 1 : null,
                link.Match == ComponentMatch.Matched && !building[link.At!.Value] ? Build(link.At.Value) : null)).ToList();
            building[i] = false;
            return built[i] = Entry(i + 1, credentials[i], reports[i]) with { Components = components, ComponentOf = nestedUnder[i] };
        }
        return Enumerable.Range(0, credentials.Count).Select(Build).ToList();
    }

    private static PortfolioEntry Entry(int index, JsonObject credential, VerificationReport report) => new(
        index,
        CredentialClaims.Text(credential["id"]),
        CredentialClaims.Title(credential),
        CredentialClaims.IssuerName(credential),
        CredentialClaims.Text(credential["validFrom"]),
        report);
}
