using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Baking;
using Registry.Portfolio;
using Registry.Verification;

namespace Registry.Api.Verification;

/// <summary>A check: its status is passed, failed, skipped or could-not-check; a check that could not be completed says why in <c>reason</c>.</summary>
public sealed record CheckView(
    string Name, string Status, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public static CheckView Of(CheckResult check) =>
        new(check.Name, VerificationWords.Of(check.Status), check.Message, check.Reason is { } reason ? VerificationWords.Of(reason) : null);
}

// issuer, issuerId, issuerAccount, anchoredAt and revokedAt are always present, null when unknown: clients can rely on the shape.
// issuer is the name the chain holds for the anchoring account, never the document's issuer.name; issuerId is the
// credential's did:key and issuerAccount the Ethereum account (did:pkh) the anchor proof names.
// verified is true only when every check passed; outcome tells a failed check (not-verified) from a chain
// that could not be read (could-not-check), which is no verdict on the credential.
public sealed record VerificationView(
    bool Verified,
    string Outcome,
    string Summary,
    IReadOnlyList<CheckView> Checks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Issuer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IssuerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IssuerAccount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? AnchoredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? RevokedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] BlockView? AsOf)
{
    public static VerificationView Of(VerificationReport report) => new(
        report.Verified,
        VerificationWords.Of(report.Outcome),
        report.Summary,
        report.Checks.Select(CheckView.Of).ToList(),
        report.Issuer, report.IssuerId, report.IssuerAccount, report.AnchoredAt, report.RevokedAt, BlockView.Of(report.AsOf));
}

/// <summary>The block an answer is true as of: its number, hash and time.</summary>
public sealed record BlockView(long BlockNumber, string BlockHash, DateTimeOffset Time)
{
    public static BlockView? Of(ChainPoint? point) => point is null ? null : new(point.Number, point.Hash, point.Time);
}

public static class VerifyEndpoints
{
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder routes)
    {
        var limits = routes.ServiceProvider.GetRequiredService<VerifyLimits>();
        var group = routes.MapGroup("/verify").WithTags("Verification").RequireRateLimiting(VerifyLimits.RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/", async Task<Results<Ok<VerificationView>, Ok<PortfolioView>, Problem<Invalid>>> (
                HttpRequest request, PortfolioVerifier verifier, RegistryChain chain, CancellationToken ct) =>
            {
                var image = ImageFormatOf(request);
                var body = await JsonBody.ReadAnyAsync(request, ct);
                if (image is { } format)
                {
                    var baked = BakedImage.Extract(format, body.Span);
                    if (baked.Refusal is { } refusal)
                        return Problem.Of(new Invalid(refusal));
                    body = baked.Credential;
                }
                // Connect if we can; if not, the checks that need the chain say so.
                await chain.TryGetAsync(TimeSpan.FromSeconds(3), ct);
                return await verifier.VerifyAsync(body, ct) switch
                {
                    DocumentVerdict.Portfolio portfolio => TypedResults.Ok(PortfolioView.Of(portfolio.Report)),
                    DocumentVerdict.Refused refused => Problem.Of(new Invalid(refused.Reason)),
                    DocumentVerdict.Credential single => TypedResults.Ok(VerificationView.Of(single.Report)),
                    _ => throw new InvalidOperationException("A verdict of no known kind."),
                };
            })
            .AddEndpointFilter(limits.Filter)
            .WithMetadata(limits)
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/json", "image/png", "image/svg+xml")
            .WithSummary("Verify a portable credential, a presentation of up to 100 (a portfolio), or a badge with a credential baked in " +
                "(Content-Type image/png or image/svg+xml). A credential gets every check with its outcome; a presentation one such answer " +
                "per credential and an overall verdict. Bad documents give verified: false, not an error; a chain that cannot be read gives " +
                "outcome could-not-check, which is no verdict. A presentation that cannot be verified as one (too many credentials, one repeated, " +
                "an entry that is no credential) and an image without exactly one baked credential are refused with a 400.")
            .WithRequestExample(CredentialExamples.Portable())
            .WithBodyLimit(BodyLimits.Verify)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            // Too many large credentials being verified at once (VerifyLimits).
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/checks", Ok<IReadOnlyList<CheckView>> () =>
                TypedResults.Ok<IReadOnlyList<CheckView>>(CredentialVerifier.Checks.Select(c => new CheckView(c.Name, "pending", c.Description)).ToList()))
            .WithSummary("The checks verification runs, in order, with what each one means.");

        return routes;
    }

    /// <summary>The baked image format the request declares; null for JSON; a 415 for anything else.</summary>
    private static BadgeFormat? ImageFormatOf(HttpRequest request)
    {
        if (JsonBody.IsJson(request)) return null;
        var type = request.ContentType ?? "";
        if (type.StartsWith("image/png", StringComparison.OrdinalIgnoreCase)) return BadgeFormat.Png;
        if (type.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase)) return BadgeFormat.Svg;
        throw UnsupportedMediaType(type);
    }

    /// <summary>The 415 of <c>POST /verify</c>, saying the three kinds of body it reads.</summary>
    public static ProblemException UnsupportedMediaType(string? sent) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        "Send a credential or a presentation as JSON with the header 'Content-Type: application/json', or a baked badge as image/png or image/svg+xml; "
        + (string.IsNullOrEmpty(sent) ? "this request had no Content-Type." : $"this request's was '{sent}'."));
}

/// <summary>
/// One credential of a portfolio: what a reader scans for (title, issuer, date) and its verification; for a
/// stacked qualification, each component its evidence references (<c>components</c>), and for a component,
/// the qualifications of the portfolio it is nested under, by index (<c>componentOf</c>).
/// </summary>
public sealed record PortfolioEntryView(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ClaimedIssuer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IssuedOn,
    VerificationView Verification,
    IReadOnlyList<PortfolioComponentView> Components,
    IReadOnlyList<int> ComponentOf)
{
    public static PortfolioEntryView Of(PortfolioEntry entry) => new(
        entry.Index, entry.Id, entry.Title, entry.ClaimedIssuer, entry.IssuedOn,
        VerificationView.Of(entry.Report), entry.Components.Select(PortfolioComponentView.Of).ToList(), entry.ComponentOf);
}

/// <summary>
/// A component a qualification references (its id, title and digest) and how the portfolio holds it: <c>match</c> is
/// <c>matched</c> (the file at <c>index</c> hashes to that digest, and is nested here as <c>credential</c>),
/// <c>digest-differs</c> (the file at <c>index</c> has the component's id but another digest: not nested) or
/// <c>not-in-portfolio</c> (no file; the qualification's components check still answers for it from the chain).
/// </summary>
public sealed record PortfolioComponentView(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    string Digest,
    string Match,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PortfolioEntryView? Credential)
{
    public static PortfolioComponentView Of(PortfolioComponent component) => new(
        component.Id, component.Name, component.Digest, PortfolioWords.Of(component.Match), component.Index,
        component.Credential is { } nested ? PortfolioEntryView.Of(nested) : null);
}

/// <summary>A portfolio's answer: verified only when every credential is; each credential in the order given, with its own verdict.</summary>
public sealed record PortfolioView(bool Verified, string Outcome, string Summary, int Count, IReadOnlyList<PortfolioEntryView> Credentials)
{
    public static PortfolioView Of(PortfolioReport report) => new(
        report.Verified, VerificationWords.Of(report.Outcome), report.Summary, report.Credentials.Count,
        report.Credentials.Select(PortfolioEntryView.Of).ToList());
}
