using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;

namespace Registry.Api.Problems;

/// <summary>
/// Reads a request body as strict JSON, up to the limit its endpoint declares (<see cref="BodyLimits"/>),
/// so hostile bodies get a 4xx and never a 5xx.
/// </summary>
public static class JsonBody
{
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, requireJson: true, cancellationToken);
        return Strictly(body, static b => StrictJson.Parse(b.Span));
    }

    /// <summary>
    /// Reads a body that is to be a JSON array, checked as <see cref="ReadAsync"/> checks any body: its items, each
    /// parsed into a tree of its own (<see cref="StrictJson.ParseItems"/>), or null when the body is JSON but not an array.
    /// </summary>
    public static async Task<JsonNode?[]?> ReadItemsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, requireJson: true, cancellationToken);
        return Strictly(body, static b => StrictJson.ParseItems(b.Span));
    }

    /// <summary>Parses a body with <paramref name="parse"/>, turning what strict JSON refuses into 400 problems.</summary>
    private static T Strictly<T>(PooledBody body, Func<PooledBody, T> parse)
    {
        try
        {
            return parse(body);
        }
        catch (InexactJsonException e)
        {
            throw ProblemException.Validation(
                "Some values cannot be hashed exactly as sent (canonical JSON, RFC 8785, would change them); nothing was stored.",
                e.Errors.ToDictionary());
        }
        catch (JsonException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not acceptable JSON: {e.Message}");
        }
    }

    /// <summary>The 415 for a body sent without a JSON <c>Content-Type</c>, saying what to send.</summary>
    public static ProblemException UnsupportedMediaType(string? sent) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        "Send the body as JSON with the header 'Content-Type: application/json'; "
        + (string.IsNullOrEmpty(sent) ? "this request had no Content-Type." : $"this request's was '{sent}'."));

    /// <summary>Whether the request says its body is JSON (<c>application/json</c>, <c>application/ld+json</c> or <c>text/plain</c>).</summary>
    public static bool IsJson(HttpRequest request) => request.ContentType is { } type
        && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/ld+json", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));

    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, requireJson: true, cancellationToken);
        return body.Span.ToArray();
    }

    /// <summary>The body's bytes whatever its type, up to the endpoint's limit; an empty body is a 400.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAnyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, requireJson: false, cancellationToken);
        return body.Span.ToArray();
    }

    /// <summary>
    /// The body's bytes in a buffer of the shared pool, up to the endpoint's limit; an empty body is a 400. A body read
    /// only to be parsed is given back to the pool at once: a bulk request's megabyte was a new array on the large object
    /// heap each time, which only a full collection frees.
    /// </summary>
    private static async Task<PooledBody> ReadPooledAsync(HttpRequest request, bool requireJson, CancellationToken cancellationToken)
    {
        if (requireJson && !IsJson(request)) throw UnsupportedMediaType(request.ContentType);
        // A declared length over the limit was refused before the endpoint ran; a body without one is counted here.
        var maxBytes = BodyLimits.Declared(request.HttpContext);
        var declared = request.ContentLength;
        var body = new PooledBody((int)Math.Min(declared ?? 4096, maxBytes) + 1);
        try
        {
            while (true)
            {
                // Ask for no more than the declared length still to come (and one byte to see the end), so
                // that a body of known length is read into the buffer made for it, never into a copy twice its size.
                var memory = body.GetMemory(declared is { } length && length - body.Length is >= 0 and < 16 * 1024
                    ? (int)(length - body.Length) + 1
                    : 16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0) break;
                body.Advance(read);
                if (body.Length > maxBytes) throw BodyLimits.TooLarge(maxBytes);
            }
            if (body.Length == 0) throw ProblemException.BadRequest("The request body is empty; send a document.");
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>Bytes written into an array of the shared pool, which grows by renting a larger one; disposing gives it back.</summary>
    private sealed class PooledBody(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        /// <summary>All the free room after what was written, at least <paramref name="sizeHint"/> bytes.</summary>
        public Memory<byte> GetMemory(int sizeHint)
        {
            if (_buffer.Length - Length < sizeHint)
            {
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(2L * _buffer.Length, (long)Length + sizeHint)));
                Span.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            return _buffer.AsMemory(Length);
        }

        public void Advance(int count) => Length += count;

        public void Dispose()
        {
            var buffer = _buffer;
            _buffer = [];
            Length = 0;
            if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
