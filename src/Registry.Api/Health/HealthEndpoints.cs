using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
using Registry.Chain;

namespace Registry.Api.Health;

// The four fields of the specification are always present; problem only when degraded.
public sealed record HealthView(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? ChainId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Registry,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? BlockNumber,
    string? Problem);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", async Task<Ok<HealthView>> (RegistryChain chain) =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    var state = await chain.GetAsync().WaitAsync(timeout.Token);
                    var block = await chain.Connection.GetBlockNumberAsync().WaitAsync(timeout.Token);
                    return TypedResults.Ok(new HealthView("ok", state.ChainId, state.Contract, block, null));
                }
                catch (Exception e) when (e is ChainUnavailableException or OperationCanceledException or TimeoutException || ChainConnection.IsUnreachable(e))
                {
                    var known = chain.Current;
                    return TypedResults.Ok(new HealthView("degraded", known?.ChainId, known?.Contract, null,
                        $"The chain at {chain.Connection.RpcUrl} cannot be reached ({chain.LastError ?? "no answer"}); issuance goes on and anchoring resumes when it is back."));
                }
            })
            .WithTags("Health")
            .WithSummary("ok, or degraded while the chain cannot be reached (the registry still answers).");
        return routes;
    }
}
