using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Baking;

namespace Registry.Api.Credentials;

public sealed record AcceptedCredential(string Id, string Digest, string Status);

public sealed record AcceptedBulk(IReadOnlyList<IssuedItem> Items);

public static class CredentialEndpoints
{
    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/credentials").WithTags("Credentials").WithGuidId()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async Task<Results<Accepted<AcceptedCredential>, Problem<IssuerRemoved>, Problem<Invalid>>> (HttpRequest request, ClaimsPrincipal user,
                IssuanceService issuance, IIssuerStore issuers, CancellationToken ct) =>
            {
                var document = await JsonBody.ReadAsync(request, ct);
                return issuance.Issue(CurrentIssuer(user, issuers), [document], bulk: false).Answer(items =>
                    TypedResults.Accepted($"/credentials/{items[0].Id}", new AcceptedCredential(items[0].Id, items[0].Digest, "pending")));
            })
            .RequireAuthorization(Policies.Issuer)
            .Accepts<JsonObject>("application/json")
            .WithSummary("Issue one credential (a VC 2.0 / Open Badges 3.0 document without proof). It is on disk when this answers.")
            .WithRequestExample(CredentialExamples.Badge())
            .WithBodyLimit(BodyLimits.Credential);

        group.MapPost("/bulk", async Task<Results<Accepted<AcceptedBulk>, Problem<IssuerRemoved>, Problem<Invalid>>> (HttpRequest request, ClaimsPrincipal user,
                IssuanceService issuance, IIssuerStore issuers, CancellationToken ct) =>
            {
                // Each credential is a tree of its own: one for the whole array would keep the request's bytes until it ends.
                var items = await JsonBody.ReadItemsAsync(request, ct);
                if (items is null)
                    return Problem.Of(new Invalid("The body must be a JSON array of credentials."));
                if (items.Length is 0 or > IssuanceService.MaxBulkItems)
                    return Problem.Of(new Invalid($"Send from 1 to {IssuanceService.MaxBulkItems:N0} credentials; this array has {items.Length:N0}."));
                return issuance.Issue(CurrentIssuer(user, issuers), items, bulk: true)
                    .Answer(items => TypedResults.Accepted("/credentials", new AcceptedBulk(items)));
            })
            .RequireAuthorization(Policies.Issuer)
            .Accepts<JsonArray>("application/json")
            .WithSummary("Issue up to 10,000 credentials at once: all are stored, or none (400 names each bad item by index).")
            .WithRequestExample(new JsonArray(CredentialExamples.Badge("did:example:learner-1"), CredentialExamples.Badge("did:example:learner-2")))
            .WithBodyLimit(BodyLimits.Bulk);

        group.MapGet("/{id}", Results<Ok<CredentialStatus>, Problem<Unknown>> (string id, ClaimsPrincipal user, CredentialViews views) =>
                views.StatusOf(id, user.Holder()).Answer(TypedResults.Ok))
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("A credential's status: pending, batched, anchored, revoking (its revocation waits for confirmations), revoked, failed (its batch cannot anchor) or voided (anchored after its issuer stopped being trusted).");

        group.MapGet("/{id}/credential.json", Results<Ok<JsonObject>, Problem<Unknown>, Problem<StateConflict>> (string id, ClaimsPrincipal user,
                CredentialViews views) =>
                views.Portable(id, user.Holder()).Answer(TypedResults.Ok))
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("The portable credential: the credential with its anchor proof. 409 until its batch is anchored.");

        foreach (var format in new[] { BadgeFormat.Png, BadgeFormat.Svg })
        {
            var extension = format == BadgeFormat.Png ? "png" : "svg";
            group.MapGet($"/{{id}}/badge.{extension}", Results<FileContentHttpResult, Problem<Unknown>, Problem<StateConflict>> (
                    string id, ClaimsPrincipal user, CredentialViews views, HttpResponse response) =>
                    views.Portable(id, user.Holder()).Answer(portable =>
                    {
                        // An issuer's SVG may hold script: opened on its own, it runs none and loads nothing.
                        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                        response.Headers.XContentTypeOptions = "nosniff";
                        return TypedResults.File(BadgeArt.Bake(format, portable), format == BadgeFormat.Png ? "image/png" : "image/svg+xml");
                    }))
                .RequireAuthorization(Policies.IssuerOrAuditor)
                .WithSummary($"The achievement's image as {extension.ToUpperInvariant()} with the portable credential baked in (Open Badges 3.0): " +
                    "the issuer's achievement.image when it is a PNG data: URI, else a default with the title, issuer and date. 409 until its batch is anchored.")
                .Produces<byte[]>(StatusCodes.Status200OK, format == BadgeFormat.Png ? "image/png" : "image/svg+xml");
        }

        return routes;
    }

    /// <summary>The issuer whose key made the request; an issuer's key is registered only with its record, which is never deleted.</summary>
    public static IssuerEntity CurrentIssuer(ClaimsPrincipal user, IIssuerStore issuers) =>
        issuers.Find(user.Holder().Id) ?? throw new InvalidOperationException($"The key of issuer {user.Holder().Id} has no issuer record.");
}
