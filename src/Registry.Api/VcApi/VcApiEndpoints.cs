using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Api.Verification;
using Registry.Signatures;

namespace Registry.Api.VcApi;

/// <summary>The answer of <c>POST /credentials/issue</c>: the credential signed by its issuer, without the anchor proof it gets later.</summary>
public sealed record IssuedCredential(JsonObject VerifiableCredential);

/// <summary>
/// The routes of the W3C VC API (CCG): issuing a signed credential, and verifying credentials and presentations, in the
/// request and answer shapes the W3C test suites use (<c>{credential, options}</c>, <c>{verifiableCredential, options}</c>,
/// <c>{verifiablePresentation, options}</c>); docs/STANDARDS.md, "The W3C VC API".
/// </summary>
public static class VcApiEndpoints
{
    public static IServiceCollection AddVcApi(this IServiceCollection services) => services.AddSingleton<VcApiVerifier>();

    public static IEndpointRouteBuilder MapVcApi(this IEndpointRouteBuilder routes)
    {
        var limits = routes.ServiceProvider.GetRequiredService<VerifyLimits>();

        routes.MapPost("/credentials/issue", async Task<Results<Created<IssuedCredential>, Problem<IssuerRemoved>, Problem<Invalid>>> (
                HttpRequest request, ClaimsPrincipal user, IssuanceService issuance, IIssuerStore issuers, IssuerKeyring keyring, CancellationToken ct) =>
            {
                var body = await ReadObjectAsync(request, ct);
                if (Refusal(body, "credential", "the credential to issue") is { } invalid) return Problem.Of(invalid);
                if (OptionsOf(body, out _) is { } badOptions) return Problem.Of(badOptions);
                var issuer = CredentialEndpoints.CurrentIssuer(user, issuers);
                return issuance.IssueSigned(issuer, body["credential"], keyring.SigningKeyOf(issuer), acceptVc11: true).Answer(issued =>
                    TypedResults.Created($"/credentials/{issued.Item.Id}", new IssuedCredential(issued.Signed)));
            })
            .WithTags("VC API")
            .RequireAuthorization(Policies.Issuer)
            .Accepts<JsonObject>("application/json")
            .WithSummary("W3C VC API: issue one credential (what POST /credentials accepts, or a VC 1.1 one) signed at once with the issuer's did:key " +
                "(eddsa-rdfc-2022) and queued for anchoring → 201 {verifiableCredential}. Once anchored, GET /credentials/{id}/credential.json " +
                "is the same credential with the anchor proof added to its proof set.")
            .WithRequestExample(new JsonObject { ["credential"] = CredentialExamples.Badge(), ["options"] = new JsonObject() })
            .WithBodyLimit(BodyLimits.Credential)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        routes.MapPost("/credentials/verify", async Task<Results<Ok<CredentialVerdict>, Problem<FailedCheck>, Problem<Invalid>>> (
                HttpRequest request, VcApiVerifier verifier, Anchoring.RegistryChain chain, CancellationToken ct) =>
            {
                var body = await ReadObjectAsync(request, ct);
                if (Refusal(body, "verifiableCredential", "the credential to verify") is { } invalid) return Problem.Of(invalid);
                if (OptionsOf(body, out var options) is { } badOptions) return Problem.Of(badOptions);
                // Connect if we can; if not, the chain checks of an anchored credential say so.
                await chain.TryGetAsync(TimeSpan.FromSeconds(3), ct);
                var outcome = await verifier.VerifyCredentialAsync(body["verifiableCredential"], options, "/verifiableCredential", ct);
                return outcome.Refusal is FailedCheck failed ? Problem.Of(failed) : TypedResults.Ok(outcome.Value!);
            })
            .WithVerification(limits, "W3C VC API: verify any VC 2.0 credential by its eddsa-rdfc-2022 proof (did:key resolved locally), and by the " +
                "registry's chain checks where its anchor proof is present → 200 {verified, checks, warnings, errors, evidence: signature | " +
                "signature-and-chain, anchoring: pending | anchored | null}, or 400 naming the failed check (check, at). options.challenge and " +
                "options.domain, when given, must be the proof's.",
                new JsonObject { ["verifiableCredential"] = CredentialExamples.Portable(), ["options"] = new JsonObject() });

        routes.MapPost("/presentations/verify", async Task<Results<Ok<PresentationVerdict>, Problem<FailedCheck>, Problem<Invalid>>> (
                HttpRequest request, VcApiVerifier verifier, Anchoring.RegistryChain chain, CancellationToken ct) =>
            {
                var body = await ReadObjectAsync(request, ct);
                if (Refusal(body, "verifiablePresentation", "the presentation to verify") is { } invalid) return Problem.Of(invalid);
                if (OptionsOf(body, out var options) is { } badOptions) return Problem.Of(badOptions);
                if (options.Challenge is null)
                    return Problem.Of(new Invalid("A presentation is verified against the challenge its holder was given.", "/options/challenge",
                        "Send the challenge the holder's proof must carry."));
                // Connect if we can; if not, the chain checks of an anchored credential say so.
                await chain.TryGetAsync(TimeSpan.FromSeconds(3), ct);
                var outcome = await verifier.VerifyPresentationAsync(body["verifiablePresentation"], options, ct);
                return outcome.Refusal is FailedCheck failed ? Problem.Of(failed) : TypedResults.Ok(outcome.Value!);
            })
            .WithVerification(limits, "W3C VC API: verify a VerifiablePresentation: its holder's authentication proof (eddsa-rdfc-2022 by a " +
                "did:key) with options.challenge (required) and options.domain (when given) checked against the proof's, then each credential " +
                "inside as POST /credentials/verify does → 200 {verified, checks, holder, credentials}, or 400 naming the failed check.",
                new JsonObject { ["verifiablePresentation"] = ExamplePresentation(), ["options"] = new JsonObject { ["challenge"] = "3f9e1c", ["domain"] = "verifier.example" } });

        return routes;
    }

    private static RouteHandlerBuilder WithVerification(this RouteHandlerBuilder route, VerifyLimits limits, string summary, JsonObject example) => route
        .WithTags("VC API")
        .RequireRateLimiting(VerifyLimits.RateLimitPolicy)
        .AddEndpointFilter(limits.Filter)
        .WithMetadata(limits)
        .Accepts<JsonObject>("application/json")
        .WithSummary(summary)
        .WithRequestExample(example)
        .WithBodyLimit(BodyLimits.Verify)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        // The chain could not be read for a credential with an anchor proof, or too many large bodies wait (VerifyLimits).
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        await JsonBody.ReadAsync(request, ct) as JsonObject ?? throw ProblemException.BadRequest("The body must be a JSON object.");

    private static Invalid? Refusal(JsonObject body, string field, string what) => body[field] is JsonObject
        ? null
        : new Invalid($"The body's {field} must be {what}, a JSON object.", $"/{field}", body.ContainsKey(field) ? "Not a JSON object." : "Missing.");

    /// <summary>The request's <c>options</c>: an object, if sent, whose <c>challenge</c> and <c>domain</c> are strings.</summary>
    private static Invalid? OptionsOf(JsonObject body, out ProofOptions options)
    {
        options = ProofOptions.None;
        if (body["options"] is null) return null;
        if (body["options"] is not JsonObject given) return new Invalid("options must be a JSON object.", "/options", "Not a JSON object.");
        foreach (var field in new[] { "challenge", "domain" })
            if (given[field] is { } value && (value is not JsonValue text || !text.TryGetValue<string>(out _)))
                return new Invalid($"options.{field} must be a string.", $"/options/{field}", "Not a string.");
        options = new ProofOptions(VcApiVerifier.Text(given, "challenge"), VcApiVerifier.Text(given, "domain"));
        return null;
    }

    /// <summary>A presentation of the example portable credential, signed by the example key as its holder for the example's challenge and domain.</summary>
    private static JsonObject ExamplePresentation()
    {
        var key = CredentialExamples.ExampleKey;
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray(VcApiVerifier.Vc2Context),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = DidKey.For(key.PublicKey),
            ["verifiableCredential"] = new JsonArray(CredentialExamples.Portable()),
        };
        return EddsaRdfc2022.Sign(presentation, key, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
            proofPurpose: VcApiVerifier.Authentication, challenge: "3f9e1c", domain: "verifier.example");
    }
}
