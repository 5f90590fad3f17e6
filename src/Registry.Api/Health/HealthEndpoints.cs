using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
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
        routes.MapGet("/health", async Task<Ok<HealthView>> (RegistryChain chain, IBatchStore batches, RegistryOptions options, TimeProvider clock) =>
            {
                ChainState state;
                long block;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    state = await chain.GetAsync().WaitAsync(timeout.Token);
                    block = await chain.Connection.GetBlockNumberAsync().WaitAsync(timeout.Token);
                }
                catch (Exception e) when (e is ChainUnavailableException or OperationCanceledException or TimeoutException || ChainConnection.IsUnreachable(e))
                {
                    var known = chain.Current;
                    return TypedResults.Ok(new HealthView("degraded", known?.ChainId, known?.Contract, null,
                        $"The chain at {chain.Connection.RpcUrl} cannot be reached ({chain.LastError ?? "no answer"}); issuance goes on and anchoring resumes when it is back."));
                }

                // The local chain mines only when sent a transaction, so a head that stands still is news elsewhere alone.
                var still = chain.ObserveHead(block, clock.GetUtcNow());
                if (state.ChainId != DevelopmentChain.ChainId && still >= options.HeadStall)
                    return TypedResults.Ok(new HealthView("degraded", state.ChainId, state.Contract, block,
                        $"The chain's head has stayed at block {block} for {(int)still.TotalSeconds} s: the node at {chain.Connection.RpcUrl} may have stopped following the chain."));
                var waiting = batches.Unfinished().Where(b => b.Waiting is not null).Take(3).ToList();
                if (waiting.Count > 0)
                    return TypedResults.Ok(new HealthView("degraded", state.ChainId, state.Contract, block,
                        string.Join(" ", waiting.Select(b => $"Batch {b.Id}: {b.Waiting}"))));
                return TypedResults.Ok(new HealthView("ok", state.ChainId, state.Contract, block, null));
            })
            .WithTags("Health")
            .WithSummary("ok, or degraded with the reason: the chain cannot be reached, its head stopped moving, or a batch waits for funds or fees.");
        return routes;
    }
}
