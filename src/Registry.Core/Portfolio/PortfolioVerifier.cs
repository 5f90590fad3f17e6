using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Verification;

namespace Registry.Portfolio;

/// <summary>
/// One credential of a portfolio with its verdict, and what a reader scans for: its title, who issued it
/// and when. <see cref="Components"/> holds the credentials it rests on when it is a stacked
/// qualification whose components travel in the same presentation; it is empty otherwise.
/// </summary>
public sealed record PortfolioEntry(int Index, string? Id, string? Title, string? ClaimedIssuer, string? IssuedOn, VerificationReport Report)
{
    public IReadOnlyList<PortfolioEntry> Components { get; init; } = [];
}

/// <summary>A portfolio's verdict: verified only when every credential is; no verdict when none failed but one could not be checked.</summary>
public sealed record PortfolioReport(IReadOnlyList<PortfolioEntry> Credentials)
{
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
        return new PortfolioReport(credentials.Select((c, i) => Entry(i + 1, c, reports[i])).ToList());
    }

    private static PortfolioEntry Entry(int index, JsonObject credential, VerificationReport report) => new(
        index,
        CredentialClaims.Text(credential["id"]),
        CredentialClaims.Title(credential),
        CredentialClaims.IssuerName(credential),
        CredentialClaims.Text(credential["validFrom"]),
        report);
}
