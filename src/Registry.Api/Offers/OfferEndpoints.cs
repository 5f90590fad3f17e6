using System.Net;
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
using Registry.Offers;

namespace Registry.Api.Offers;

/// <summary>The body of <c>POST /offers</c>.</summary>
public sealed record OfferRequest(JsonObject Credential);

/// <summary>
/// Offers of credentials to learners' wallets (the issuer's routes under <c>/offers</c>) and the VC API exchange that a
/// wallet claims one through (<c>/exchanges/{id}</c>, open to anyone who has its URL: the URL is the learner's capability).
/// docs/STANDARDS.md, "Delivery into a wallet".
/// </summary>
public static class OfferEndpoints
{
    public static IServiceCollection AddOffers(this IServiceCollection services) => services.AddSingleton<OfferService>();

    public static IEndpointRouteBuilder MapOffers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/offers").WithTags("Offers").RequireAuthorization(Policies.Issuer);

        group.MapPost("/", async Task<Results<Created<OfferView>, Problem<IssuerRemoved>, Problem<Invalid>>> (
                HttpRequest request, ClaimsPrincipal user, IIssuerStore issuers, OfferService offers, CancellationToken ct) =>
            {
                if (await JsonBody.ReadAsync(request, ct) is not JsonObject body || !body.ContainsKey("credential"))
                    return Problem.Of(new Invalid("The body must be a JSON object {credential}: the credential to offer, its subject without id.", "/credential", "Missing."));
                return offers.Create(CredentialEndpoints.CurrentIssuer(user, issuers), body["credential"])
                    .Answer(offer => TypedResults.Created($"/offers/{offer.Id}", offer));
            })
            .Accepts<OfferRequest>("application/json")
            .WithSummary("Offer a credential to a learner's wallet: the credential (what POST /credentials accepts) with a credentialSubject that has " +
                "no id yet → 201 {id, url, deepLink, qr, state, expiresAt}. url is the VC API exchange a wallet claims it at; deepLink opens it in " +
                "the Learner Credential Wallet; qr is an SVG of deepLink. The claiming wallet's DID becomes credentialSubject.id. Open for " +
                "REGISTRY_OFFER_DAYS (7), claimed once.")
            .WithRequestExample(new JsonObject { ["credential"] = WithoutSubjectId(CredentialExamples.Badge()) })
            .WithBodyLimit(BodyLimits.Credential)
            .Guarded();

        group.MapGet("/", Results<Ok<IReadOnlyList<OfferView>>, Problem<Invalid>> (ClaimsPrincipal user, IIssuerStore issuers, OfferService offers, int? skip, int? limit) =>
            {
                if (Paging.Refuses(skip, limit) is { } invalid) return Problem.Of(invalid);
                return TypedResults.Ok(offers.List(CredentialEndpoints.CurrentIssuer(user, issuers), skip ?? 0, Paging.Limit(limit)));
            })
            .WithSummary("The issuer's offers, newest first, each with its state: open, claimed (by holder, with the credentialId issued) or expired; " +
                "page with skip and limit (at most 1,000).")
            .Guarded();

        group.MapGet("/{id}", Results<Ok<OfferView>, Problem<Unknown>> (string id, ClaimsPrincipal user, IIssuerStore issuers, OfferService offers) =>
                offers.Find(CredentialEndpoints.CurrentIssuer(user, issuers), id, withQr: true).Answer(TypedResults.Ok))
            .WithSummary("One of the issuer's offers, with its state and QR code.")
            .Guarded();

        group.MapGet("/{id}/qr.svg", Results<ContentHttpResult, Problem<Unknown>> (string id, ClaimsPrincipal user, IIssuerStore issuers, OfferService offers) =>
                offers.Find(CredentialEndpoints.CurrentIssuer(user, issuers), id, withQr: true).Answer(offer => TypedResults.Content(offer.Qr, "image/svg+xml")))
            .WithSummary("The offer's QR code (its deepLink) as an SVG image, to print or send.")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .Guarded();

        var exchanges = routes.MapGroup(OfferService.ExchangePath.TrimEnd('/')).WithTags("Offers");

        exchanges.MapGet("/{id}", Results<ContentHttpResult, Ok<JsonObject>, Problem<Unknown>> (string id, HttpRequest request, OfferService offers, IOfferStore store,
                IIssuerStore issuers, TimeProvider clock, HttpResponse response) =>
            {
                if (store.Find(id) is not { } offer) return Problem.Of(new Unknown($"Exchange {id}"));
                if (!WantsPage(request))
                    return TypedResults.Ok(new JsonObject { ["protocols"] = new JsonObject { ["vcapi"] = offers.UrlOf(id) } });
                // A page with no script that shows the QR code inline; nothing else may load.
                response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                response.Headers.XFrameOptions = "DENY";
                return TypedResults.Content(OfferPage.Html(offer, issuers.Find(offer.IssuerId)?.Name, offers, clock.GetUtcNow().UtcDateTime), "text/html; charset=utf-8");
            })
            .WithSummary("The offer's interaction URL. A wallet (Accept: application/json) gets {protocols: {vcapi}}; a browser gets a page with the " +
                "offer's QR code to scan, print or send, or its state once claimed or expired.");

        exchanges.MapPost("/{id}", async Task<Results<Ok<JsonObject>, Problem<Unknown>, Problem<FailedCheck>, Problem<OfferClosed>, Problem<Invalid>>> (
                string id, HttpRequest request, OfferService offers, CancellationToken ct) =>
            {
                if (await JsonBody.ReadAsync(request, ct) is not JsonObject body)
                    return Problem.Of(new Invalid("The body must be a JSON object: {} to start, then {verifiablePresentation}."));
                if (!body.ContainsKey("verifiablePresentation"))
                    return offers.Request(id) switch
                    {
                        { Refusal: Unknown unknown } => Problem.Of(unknown),
                        { Refusal: OfferClosed closed } => Problem.Of(closed),
                        var asked => TypedResults.Ok(asked.Value!),
                    };
                return offers.Claim(id, body["verifiablePresentation"]) switch
                {
                    { Refusal: Unknown unknown } => Problem.Of(unknown),
                    { Refusal: FailedCheck failed } => Problem.Of(failed),
                    { Refusal: OfferClosed closed } => Problem.Of(closed),
                    var claimed => TypedResults.Ok(claimed.Value!),
                };
            })
            .Accepts<JsonObject>("application/json")
            .WithRequestExample(new JsonObject { ["verifiablePresentation"] = ExampleClaim() })
            .WithSummary("The VC API exchange of an offer. {} → {verifiablePresentationRequest} asking for DID authentication (query type " +
                "DIDAuthentication, a new challenge, the registry's domain); {verifiablePresentation} signed by the wallet's did:key for authentication " +
                "(Ed25519Signature2020 or eddsa-rdfc-2022) over that challenge and domain → {verifiablePresentation: {verifiableCredential: [credential]}}, " +
                "the credential issued to that DID, signed and queued for anchoring. Refusals: 400 naming the failed check (format, proof, challenge, " +
                "domain, signature, holder); 409 naming the reason (claimed, replayed, expired, issuer-removed, credential-invalid).")
            .WithBodyLimit(BodyLimits.Credential);

        exchanges.MapGet("/{id}/credential.json", Results<Ok<JsonObject>, Problem<Unknown>, Problem<StateConflict>> (string id, OfferService offers, CredentialViews views) =>
                offers.Anchored(id, views).Answer(TypedResults.Ok))
            .WithSummary("The claimed credential with its anchor proof, once its batch is anchored (409 until then): what the wallet fetches later.");

        return routes;
    }

    /// <summary>The answers of a route only an issuer's key opens.</summary>
    private static RouteHandlerBuilder Guarded(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>A browser asks for HTML; a wallet or a script for JSON (or anything).</summary>
    private static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>A wallet's answer to the request: a presentation by the example key, signed as the Learner Credential Wallet signs it.</summary>
    private static JsonObject ExampleClaim()
    {
        var key = CredentialExamples.ExampleKey;
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray(LinkedData.BundledContexts.CredentialsV2),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = Signatures.DidKey.For(key.PublicKey),
        };
        return Signatures.Ed25519Signature2020.Sign(presentation, key, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), VcApi.VcApiVerifier.Authentication,
            challenge: "5f0e7d2c9a41b3e8", domain: "https://registry.example.org");
    }

    private static JsonObject WithoutSubjectId(JsonObject credential)
    {
        (credential["credentialSubject"] as JsonObject)?.Remove("id");
        return credential;
    }
}

/// <summary>The page of an offer's interaction URL, for the issuer to print or send and the learner to scan.</summary>
internal static class OfferPage
{
    public static string Html(OfferEntity offer, string? issuerName, OfferService offers, DateTime now)
    {
        var credential = JsonNode.Parse(offer.Credential)!.AsObject();
        var title = Text(credential["name"]) ?? Text(credential["credentialSubject"]?["achievement"]?["name"]) ?? "A credential";
        var state = OfferStates.Of(offer, now);
        var body = state switch
        {
            OfferStates.Open => $"""
                <figure>{OfferQr.Svg(offers.DeepLinkOf(offer.Id), moduleSize: 6)}</figure>
                <p>Scan this code with the Learner Credential Wallet (or your phone's camera) to receive the credential, or
                <a href="{Encode(offers.DeepLinkOf(offer.Id))}">open it in the wallet</a> on this device.</p>
                <p class="small">Open until {Encode(offer.ExpiresAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))}; it can be claimed once.
                Other VC API wallets use <code>{Encode(offers.UrlOf(offer.Id))}</code>.</p>
                """,
            OfferStates.Claimed => "<p class=\"state\">This offer has been claimed.</p>",
            _ => "<p class=\"state\">This offer has expired; ask the issuer for a new one.</p>",
        };
        return $"""
            <!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Credential offer: {Encode(title)}</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222{"}"}
            figure{"{"}margin:1rem 0{"}"} figure svg{"{"}width:min(100%,22rem);height:auto{"}"} .small{"{"}font-size:.85rem;color:#555;word-break:break-all{"}"}
            .state{"{"}font-size:1.2rem;font-weight:600{"}"} @media print{"{"}a{"{"}color:inherit{"}"}{"}"}</style>
            <h1>{Encode(title)}</h1>
            <p>Offered by <strong>{Encode(issuerName ?? "the issuer")}</strong>.</p>
            {body}
            </html>
            """;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
