using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Registry.Api.Problems;
using Registry.Api.Security;

namespace Registry.Api.Verification;

/// <summary>
/// What one client (one address, <see cref="ClientAddresses"/>) may ask of <c>POST /verify</c> a minute:
/// REGISTRY_VERIFY_RATE_LIMIT requests, and REGISTRY_VERIFY_MIB_PER_MINUTE MiB of bodies. Counting requests
/// alone let one address send hundreds of 4 MiB bodies a minute, whose verification took the cores that
/// issuance needs. A body is counted at its declared length before it is read (one without a length at
/// the route's limit); a request over either limit is refused with a 429, its body unread and its
/// connection closed (<see cref="BodyLimits.CloseUnreadAsync"/>), so a flood costs the registry no more
/// than its headers. Accepted bodies over <see cref="BodyLimits.Small"/> are verified
/// <see cref="LargeAtOnce"/> at a time, with <see cref="LargeQueued"/> more waiting and the rest refused
/// with a 503, so that large verifications from many clients leave the other cores to issuance.
/// </summary>
public sealed class VerifyLimits : IBodyBudget, IDisposable
{
    public const string RateLimitPolicy = "verify";

    /// <summary>Large verifications at once: half the cores, at least one. Verifying 4 MiB takes a core for a second or more.</summary>
    public static readonly int LargeAtOnce = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Large verifications that wait for their turn; more are refused with a 503.</summary>
    public static readonly int LargeQueued = 2 * LargeAtOnce;

    private readonly RegistryOptions _options;
    private readonly PartitionedRateLimiter<string>? _bytes;
    private readonly ConcurrencyLimiter _large = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = LargeAtOnce, QueueLimit = LargeQueued, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

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
        using var lease = _bytes.AttemptAcquire(ClientAddresses.Of(context), (int)Math.Min(bytes, _options.VerifyMibPerMinute << 20));
        return lease.IsAcquired;
    }

    /// <summary>
    /// Refuses a verification whose body does not fit the client's byte budget, and a large one when too many
    /// wait already, before the body is read; a large one that is let in holds its turn until it is answered.
    /// </summary>
    public async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var length = context.Request.ContentLength ?? BodyLimits.Verify;
        if (!TryTakeBytes(context, length))
        {
            await BodyLimits.RefuseUnreadAsync(context, TooMany(
                $"At most {_options.VerifyMibPerMinute:N0} MiB of credentials a minute are verified per client; this body would pass that. Try again in a minute."));
            return Results.Empty;
        }
        if (length <= BodyLimits.Small) return await next(invocation);
        using var turn = await _large.AcquireAsync(1, context.RequestAborted);
        if (turn.IsAcquired) return await next(invocation);
        context.Response.Headers.RetryAfter = "5";
        await BodyLimits.RefuseUnreadAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "Busy verifying",
            Detail = $"{LargeAtOnce + LargeQueued} credentials over {BodyLimits.Small / 1024:N0} KiB are being verified or waiting; try again in a few seconds.",
        });
        return Results.Empty;
    }

    private static ProblemDetails TooMany(string detail) => new() { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail };

    /// <summary>The request count per client, as the rate limiter's policy for the verification routes.</summary>
    public static void AddRequestPolicy(RateLimiterOptions limiter, RegistryOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (context, _) => new ValueTask(BodyLimits.RefuseUnreadAsync(context.HttpContext,
            TooMany($"At most {options.VerifyRateLimit} verifications a minute per client; try again shortly.")));
        limiter.AddPolicy(RateLimitPolicy, http => options.VerifyRateLimit == 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Of(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.VerifyRateLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public void Dispose()
    {
        _bytes?.Dispose();
        _large.Dispose();
    }
}
