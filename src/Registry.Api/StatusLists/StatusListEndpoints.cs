using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Outcomes;
using Registry.Api.Problems;

namespace Registry.Api.StatusLists;

public static class StatusListEndpoints
{
    /// <summary>
    /// How long a client may keep a list: a revocation shows in wallets within this much of its confirmation
    /// (and of the index reading it), and a busy wallet population costs the registry one answer a minute each.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddStatusLists(this IServiceCollection services) => services.AddSingleton<StatusListService>();

    public static IEndpointRouteBuilder MapStatusLists(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/status/{issuerId}/{list}", Results<Ok<JsonObject>, Problem<Unknown>> (string issuerId, string list, HttpContext context,
                StatusListService lists) =>
                lists.Get(issuerId, list).Answer(credential =>
                {
                    context.Response.Headers.CacheControl = $"public, max-age={(int)MaxAge.TotalSeconds}";
                    return TypedResults.Ok(credential);
                }))
            .WithTags("Status lists")
            .WithSummary("An issuer's W3C Bitstring Status List credential (revocation), signed with its key (eddsa-rdfc-2022): a credential's bit is set " +
                "once its revocation is confirmed on chain. 404 for an unknown issuer or a list beyond those its credentials use.");
        return routes;
    }
}
