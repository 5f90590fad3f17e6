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

    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // A declared length over the limit was refused before the endpoint ran; a body without one is counted here.
        var maxBytes = BodyLimits.Declared(request.HttpContext);
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/ld+json", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send JSON (application/json), not {type}.");

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) throw BodyLimits.TooLarge(maxBytes);
        }
        if (buffer.WrittenCount == 0) throw ProblemException.BadRequest("The request body is empty; send a JSON document.");
        return buffer.WrittenMemory;
    }
}
