using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
using Registry.Api.Problems;
using Registry.Api.Reference;
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

// issuer, anchoredAt and revokedAt are always present, null when unknown: clients can rely on the shape.
// verified is true only when every check passed; outcome tells a failed check (not-verified) from a chain
// that could not be read (could-not-check), which is no verdict on the credential.
public sealed record VerificationView(
    bool Verified,
    string Outcome,
    string Summary,
    IReadOnlyList<CheckView> Checks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Issuer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? AnchoredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? RevokedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] BlockView? AsOf)
{
    public static VerificationView Of(VerificationReport report) => new(
        report.Verified,
        VerificationWords.Of(report.Outcome),
        report.Summary,
        report.Checks.Select(CheckView.Of).ToList(),
        report.Issuer, report.AnchoredAt, report.RevokedAt, BlockView.Of(report.AsOf));
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
        var group = routes.MapGroup("/verify").WithTags("Verification").RequireRateLimiting(VerifyLimits.RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/", async Task<Ok<VerificationView>> (HttpRequest request, CredentialVerifier verifier, RegistryChain chain, CancellationToken ct) =>
            {
                var body = await JsonBody.ReadBytesAsync(request, ct);
                // Connect if we can; if not, the checks that need the chain say so.
                await chain.TryGetAsync(TimeSpan.FromSeconds(3), ct);
                return TypedResults.Ok(VerificationView.Of(await verifier.VerifyAsync(body, ct)));
            })
            .AddEndpointFilter((invocation, next) => invocation.HttpContext.RequestServices.GetRequiredService<VerifyLimits>().ByteBudgetFilter(invocation, next))
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/json")
            .WithSummary("Verify a portable credential: every check with its outcome. Bad documents give verified: false, not an error; " +
                "a chain that cannot be read gives outcome could-not-check, which is no verdict.")
            .WithRequestExample(CredentialExamples.Portable())
            .WithBodyLimit(BodyLimits.Verify)
            // An empty body; a document that is not JSON, or not a credential, is verified: false.
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/checks", Ok<IReadOnlyList<CheckView>> () =>
                TypedResults.Ok<IReadOnlyList<CheckView>>(CredentialVerifier.Checks.Select(c => new CheckView(c.Name, "pending", c.Description)).ToList()))
            .WithSummary("The checks verification runs, in order, with what each one means.");

        return routes;
    }
}
