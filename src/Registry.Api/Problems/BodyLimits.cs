using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Registry.Api.Problems;

/// <summary>
/// How many bytes of body each route reads. A route declares its limit with <see cref="WithBodyLimit"/>;
/// routing hands it to Kestrel, and <see cref="UseBodyLimits"/> enforces it under any server (the test
/// server has no body size limit of its own): a declared length over the limit is a 413 before a byte is
/// read, and a body sent without a length stops with a 413 at the limit.
/// </summary>
public static class BodyLimits
{
    /// <summary><c>POST /credentials</c>: one credential.</summary>
    public const long Credential = 1 << 20;

    /// <summary><c>POST /credentials/bulk</c>: up to 10,000 credentials.</summary>
    public const long Bulk = 64L << 20;

    /// <summary><c>POST /verify</c>: one portable credential, as large as the CLI and the page read.</summary>
    public const long Verify = Registry.Credentials.PortableCredential.MaxBytes;

    /// <summary>Everything else: issuers, auditors, removals, revocations (1,000 ids take about 40 KB), batches.</summary>
    public const long Small = 64 << 10;

    /// <summary>
    /// How much of a request Kestrel's socket transport reads ahead of the registry (its <c>MaxReadBufferSize</c>, 1 MiB by
    /// default): what a refused body costs before the refusal closes its connection. Large bodies that are
    /// accepted stream through it all the same.
    /// </summary>
    public const long ReadAhead = 64 << 10;

    /// <summary>Declares the most body this endpoint reads, and that it answers 413 above it.</summary>
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder builder, long maxBytes) =>
        builder.WithMetadata(new BodyLimit(maxBytes)).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>The limit the current endpoint declared; reading a body on an endpoint without one is a bug.</summary>
    public static long Declared(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} reads a body but declares no body limit.");

    /// <summary>A refused body is read and dropped up to this many times the route's limit, so that its client can read the 413.</summary>
    public const int DiscardFactor = 4;

    /// <summary>Refuses bodies over the endpoint's declared limit; to be used after routing and before anything reads a body.</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (LimitOf(context) is { } limit)
        {
            // Kept for the refusal, which the exception handler writes after it has cleared the endpoint.
            context.Features.Set(new RouteBody(limit, context.GetEndpoint()?.Metadata.GetMetadata<IBodyBudget>()));
            // Kestrel would fail the read at the limit itself; it is raised to the discard bound so that the
            // registry, which enforces the limit here, can still read and drop a refused body.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrel) kestrel.MaxRequestBodySize = limit * DiscardFactor;
            if (context.Request.ContentLength > limit) throw TooLarge(limit);
            if (context.Request.ContentLength is null) context.Request.Body = new LimitedBody(context.Request.Body, limit);
        }
        await next(context);
    });

    /// <summary>
    /// Reads and drops what is left of a refused body, up to <see cref="DiscardFactor"/> times the route's
    /// limit and for 10 seconds at most, and returns whether the connection may still answer without a reset.
    /// Many clients (Python's urllib, most HTTP libraries) write the whole body before reading the answer: when
    /// the server closes a connection with unread data, they see a reset instead of the 413. A client that asked
    /// first (<c>Expect: 100-continue</c>) has sent nothing and is not asked to. A body declared larger than the
    /// bound, or one the route's byte budget (<see cref="IBodyBudget"/>) cannot pay for, is not read at all.
    /// </summary>
    public static async Task<bool> DiscardUnreadAsync(HttpContext context)
    {
        if (context.Features.Get<RouteBody>() is not { } route || context.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)) return true;
        var bound = route.Limit * DiscardFactor;
        if (context.Request.ContentLength > bound) return false;
        if (route.Budget is { } budget && !budget.TryTakeBytes(context, context.Request.ContentLength ?? bound)) return false;
        var body = context.Request.Body is LimitedBody limited ? limited.Inner : context.Request.Body;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            for (long total = 0, read; total <= bound && (read = await body.ReadAsync(buffer, timeout.Token)) > 0;) total += read;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Past Kestrel's bound, or the client went away: the connection closes all the same.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return true;
    }

    /// <summary>
    /// Ends a refusal that read little or none of its body, once its answer (saying <c>Connection: close</c>) is
    /// written. After the answer, Kestrel reads and drops whatever body is left, up to the request's body size
    /// limit, even on a connection that is to close: a flood of refused 4 MiB bodies would cost the registry
    /// as much reading as accepted ones. So the limit is lowered to <see cref="Small"/>: a larger body is not
    /// read (Kestrel refuses its declared length at once, or stops at the limit) and the connection closes
    /// once the answer is out. A client that reads while it writes (browsers, curl, most asynchronous clients)
    /// reads the answer; one that writes its whole body first may see the connection reset instead, and one
    /// that sent <c>Expect: 100-continue</c> has sent no body at all.
    /// </summary>
    public static async Task CloseUnreadAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = Small;
        else if (limit is not null && context.Request.ContentLength is not <= Small)
        {
            // The body was being read when it was refused: Kestrel would go on up to the bound set for it.
            await context.Response.CompleteAsync();
            context.Abort();
        }
    }

    /// <summary>Answers with <paramref name="problem"/> without reading the body, which is not read afterwards either (<see cref="CloseUnreadAsync"/>).</summary>
    public static async Task RefuseUnreadAsync(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        context.Response.Headers.Connection = "close";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        await CloseUnreadAsync(context);
    }

    private static long? LimitOf(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;

    public static ProblemException TooLarge(long maxBytes) => new(StatusCodes.Status413PayloadTooLarge, "Request body too large",
        $"The body exceeds {maxBytes:N0} bytes, the most this route reads.");

    /// <summary>The limit and byte budget of the route a request was for.</summary>
    private sealed record RouteBody(long Limit, IBodyBudget? Budget);

    private sealed record BodyLimit(long Bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => Bytes;
    }

    /// <summary>A body of unknown length that fails with 413 once it has given more than the limit.</summary>
    private sealed class LimitedBody(Stream inner, long limit) : Stream
    {
        private long _read;

        public Stream Inner => inner;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw TooLarge(limit);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A route's budget of body bytes per client: a body it cannot pay for is refused, and a refused one is not read.</summary>
public interface IBodyBudget
{
    /// <summary>Takes <paramref name="bytes"/> from the client's budget; false, taking nothing, when they do not fit.</summary>
    bool TryTakeBytes(HttpContext context, long bytes);
}
