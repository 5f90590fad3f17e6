using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Anchoring;
using Registry.Chain;

namespace Registry.Api.Problems;

/// <summary>Turns every exception that reaches the pipeline into a problem document with the right status.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What a client is asked to wait before trying again while the database does not answer.</summary>
    public const int StoreRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var storeOutage = exception is Storage.StoreUnavailableException
            || context.RequestServices.GetService<Storage.IRegistryStorage>() is { } storage && storage.IsOutage(exception);
        ProblemDetails problem = exception switch
        {
            // Nothing was acknowledged; the client sends the request again once the database is back.
            _ when storeOutage => new ProblemDetails
            {
                Status = 503, Title = "The database is unavailable",
                Detail = $"The registry cannot reach its database, and this request was not completed. Try again in {StoreRetryAfterSeconds} s.",
            },
            // The framework's own words for a body bound to a record name no remedy.
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                new ProblemDetails { Status = 415, Title = "Unsupported media type", Detail = JsonBody.UnsupportedMediaType(context.Request.ContentType).Message },
            ProblemException p when p.Errors is not null => new HttpValidationProblemDetails(p.Errors) { Status = p.Status, Title = p.Title, Detail = p.Message },
            ProblemException p => new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message },
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Title = b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                Detail = b.Message,
            },
            JsonException j => new ProblemDetails { Status = 400, Title = "Malformed JSON", Detail = j.Message },
            ChainUnavailableException c => new ProblemDetails { Status = 503, Title = "The chain is unavailable", Detail = c.Message },
            Index.ChainIndexNotReadyException i => new ProblemDetails { Status = 503, Title = "Chain index not ready", Detail = i.Message },
            Nethereum.JsonRpc.Client.RpcResponseException rpc => new ProblemDetails
            {
                Status = 503, Title = "The chain refused the transaction", Detail = $"The Ethereum node refused it: {rpc.RpcError?.Message ?? rpc.Message}",
            },
            Registry.Verification.NodeUnavailableException n =>
                new ProblemDetails { Status = 503, Title = "The chain is unavailable", Detail = $"The Ethereum node did not answer usefully: {n.Message}" },
            _ when ChainConnection.IsUnreachable(exception) =>
                new ProblemDetails { Status = 503, Title = "The chain is unavailable", Detail = $"The Ethereum node did not answer: {exception.Message}" },
            ContractRevertedException r => new ProblemDetails { Status = 409, Title = "The contract refused the transaction", Detail = r.Message },
            _ => new ProblemDetails { Status = 500, Title = "Internal error", Detail = "The registry failed to handle the request; the failure was logged." },
        };
        if (problem.Status == 500) logger.LogError(exception, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path);
        if (storeOutage)
        {
            logger.LogWarning("The database did not answer {Method} {Path}: {Message}", context.Request.Method, context.Request.Path, exception.Message);
            context.Response.Headers.RetryAfter = StoreRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = problem.Status!.Value;
        // A body refused for its size is read and dropped up to a bound, so that a client still writing it reads
        // the 413; what is left unread means the connection cannot carry another request. A body refused for
        // its client's budget is not read at all.
        var unread = problem.Status == StatusCodes.Status429TooManyRequests
            || problem.Status == StatusCodes.Status413PayloadTooLarge && !await BodyLimits.DiscardUnreadAsync(context);
        if (unread || problem.Status == StatusCodes.Status413PayloadTooLarge) context.Response.Headers.Connection = "close";
        var written = await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        if (unread) await BodyLimits.CloseUnreadAsync(context);
        return written;
    }
}

/// <summary>How the API reads requests and answers: problem documents for every refusal, the JSON of its answers, and the body limit of Kestrel.</summary>
public static class ProblemServices
{
    public static WebApplicationBuilder AddProblemAnswers(this WebApplicationBuilder builder)
    {
        // Routes that read more declare it (BodyLimits); routing raises Kestrel's limit for them alone.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodyLimits.Small);
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = BodyLimits.ReadAhead);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = problem =>
        {
            // Routing refuses a Content-Type that no route accepts with a bare 415: say what to send.
            if (problem.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null })
                problem.ProblemDetails.Detail = problem.HttpContext.Request.Path.StartsWithSegments("/verify")
                    ? Verification.VerifyEndpoints.UnsupportedMediaType(problem.HttpContext.Request.ContentType).Message
                    : JsonBody.UnsupportedMediaType(problem.HttpContext.Request.ContentType).Message;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.MaxDepth = 64;
            // A number is a JSON number, in what is read and in the OpenAPI document: the web defaults would also read
            // one from a string ("5"), and the document then gives every number as "integer or string".
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            // Credentials carry names in every script; keep them readable (the answers are JSON, never HTML).
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return builder;
    }
}
