using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Registry.Api.Problems;
using Registry.Api.Security;

namespace Registry.Api.Verification;

/// <summary>
/// What one client (one address, <see cref="ClientAddresses"/>) may ask of <c>POST /verify</c> a minute:
/// REGISTRY_VERIFY_RATE_LIMIT requests, and REGISTRY_VERIFY_MIB_PER_MINUTE MiB of bodies. Counting requests
/// alone let one address send hundreds of 4 MiB bodies a minute, whose verification took the cores that
/// issuance needs. A body is counted at its declared length before it is read (one without a length at
/// the route's limit); a request over the byte budget is refused with a 429, unread, and its connection
/// closed, so a flood costs the registry no more than its headers.
/// </summary>
public sealed class VerifyLimits : IDisposable
{
    public const string RateLimitPolicy = "verify";

    private readonly RegistryOptions _options;
    private readonly PartitionedRateLimiter<string>? _bytes;

    public VerifyLimits(RegistryOptions options)
    {
        _options = options;
        if (options.VerifyMibPerMinute > 0)
            _bytes = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.VerifyMibPerMinute << 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Takes <paramref name="bytes"/> from the client's budget for this minute; false when they do not fit.</summary>
    public bool TryTakeBytes(HttpContext context, long bytes)
    {
        if (_bytes is null) return true;
        using var lease = _bytes.AttemptAcquire(ClientAddresses.Of(context), (int)Math.Min(bytes, BodyLimits.Verify));
        return lease.IsAcquired;
    }

    /// <summary>Refuses a verification whose body does not fit the client's byte budget, before the body is read.</summary>
    public async ValueTask<object?> ByteBudgetFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (TryTakeBytes(context, context.Request.ContentLength ?? BodyLimits.Verify)) return await next(invocation);
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(
            $"At most {_options.VerifyMibPerMinute:N0} MiB of credentials a minute are verified per client; this body would pass that. Try again in a minute.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }

    /// <summary>The request count per client, as the rate limiter's policy for the verification routes.</summary>
    public static void AddRequestPolicy(RateLimiterOptions limiter, RegistryOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = async (context, ct) =>
        {
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"At most {options.VerifyRateLimit} verifications a minute per client; try again shortly." },
            });
        };
        limiter.AddPolicy(RateLimitPolicy, http => options.VerifyRateLimit == 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Of(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.VerifyRateLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public void Dispose() => _bytes?.Dispose();
}
