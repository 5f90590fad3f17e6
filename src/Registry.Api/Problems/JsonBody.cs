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
        var bytes = await ReadBytesAsync(request, cancellationToken);
        try
        {
            return StrictJson.Parse(bytes.Span);
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
        if (!IsJson(request)) throw UnsupportedMediaType(request.ContentType);
        return await ReadAnyAsync(request, cancellationToken);
    }

    /// <summary>The body's bytes whatever its type, up to the endpoint's limit; an empty body is a 400.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAnyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // A declared length over the limit was refused before the endpoint ran; a body without one is counted here.
        var maxBytes = BodyLimits.Declared(request.HttpContext);
        var declared = request.ContentLength;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(declared ?? 4096, maxBytes) + 1);
        while (true)
        {
            // Ask for no more than the declared length still to come (and one byte to see the end), so
            // that a body of known length is read into the buffer made for it, never into a copy twice its size.
            var memory = buffer.GetMemory(declared is { } length && length - buffer.WrittenCount is >= 0 and < 16 * 1024
                ? (int)(length - buffer.WrittenCount) + 1
                : 16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) throw BodyLimits.TooLarge(maxBytes);
        }
        if (buffer.WrittenCount == 0) throw ProblemException.BadRequest("The request body is empty; send a document.");
        return buffer.WrittenMemory;
    }
}
