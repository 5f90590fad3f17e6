using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Canonical;

namespace Registry.Credentials;

/// <summary>
/// Parses untrusted JSON the one way the whole system accepts it: no comments, no trailing commas,
/// no duplicate property names, bounded depth, nothing after the document, and every value one that
/// canonical JSON (RFC 8785) keeps exactly as sent.
/// </summary>
/// <remarks>
/// The last rule is I-JSON's (RFC 7493), which JCS assumes: a string or property name must not hold an
/// escaped lone surrogate (<c>"\ud800"</c> is no Unicode text, so it has no UTF-8 form to hash), and a
/// number must be one that JCS writes back with the same value (<see cref="ExactNumber"/>), so the
/// digest covers what the issuer submitted and nothing the registry rounded.
/// </remarks>
public static class StrictJson
{
    public const int MaxDepth = 64;

    /// <summary>At most this many inexact values are named; a document with more is refused all the same.</summary>
    public const int MaxReportedValues = 100;

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
        AllowDuplicateProperties = false,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses UTF-8 JSON; throws <see cref="JsonException"/> when it is not acceptable.</summary>
    /// <exception cref="InexactJsonException">The JSON is well formed but holds values that canonical JSON would change.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        // The reader checks UTF-8 inside strings only when they are read; check all of it up front.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw new JsonException("The document is not valid UTF-8.");
        var inexact = FindInexactValues(utf8);
        if (!inexact.IsEmpty)
            throw new InexactJsonException(inexact);
        try
        {
            return JsonNode.Parse(utf8, nodeOptions: null, DocumentOptions);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <summary>
    /// Parses UTF-8 JSON as <see cref="Parse(ReadOnlySpan{byte})"/> does, accepting and refusing the same documents with the
    /// same errors; a document that is an array comes back as its items, each parsed into a tree of its own, and any other
    /// value as null. Each item keeps only its own bytes: one tree for a whole bulk request kept a copy of the request and
    /// its token table (megabytes, on the large object heap, which the collector sweeps only in full collections).
    /// </summary>
    public static JsonNode?[]? ParseItems(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw new JsonException("The document is not valid UTF-8.");
        var inexact = FindInexactValues(utf8);
        if (!inexact.IsEmpty)
            throw new InexactJsonException(inexact);
        // The whole text was read above without an error: one JSON value, nested no deeper than MaxDepth.
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) return Parse(utf8) is JsonArray array ? [.. array] : null;
        var items = new List<JsonNode?>();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                items.Add(JsonNode.Parse(utf8[start..end], nodeOptions: null, DocumentOptions));
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // What the whole document's parse refuses (a name twice in an object), refused with its words and position.
            return Parse(utf8) is JsonArray array ? [.. array] : null;
        }
        return [.. items];
    }

    public static JsonNode? Parse(string text)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new JsonException($"The text is not valid Unicode: it has a lone surrogate at index {e.Index}.", e);
        }
        return Parse(utf8);
    }

    /// <summary>Parses a file's or body's bytes and requires a JSON object.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        Parse(utf8) as JsonObject ?? throw new JsonException("The document must be a JSON object.");

    /// <summary>
    /// Reads the text once, token by token, and names every string, property name and number that
    /// canonical JSON cannot keep exactly. Throws <see cref="JsonException"/> when the text is not JSON.
    /// </summary>
    private static ValidationErrors FindInexactValues(ReadOnlySpan<byte> utf8)
    {
        var errors = new ValidationErrors();
        var path = new JsonPath();
        var reported = 0;
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        while (reported < MaxReportedValues && reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path.Name((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                    if (reader.ValueIsEscaped && LoneSurrogateEscape(reader.ValueSpan) is { } nameEscape)
                    {
                        errors.Add(path.ToString(utf8), $"The property name holds {nameEscape}, half of a surrogate pair without its other half; JSON text must be Unicode.");
                        reported++;
                    }
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    path.Value();
                    path.Enter(isArray: reader.TokenType == JsonTokenType.StartArray);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.Leave();
                    break;
                case JsonTokenType.String:
                    path.Value();
                    if (reader.ValueIsEscaped && LoneSurrogateEscape(reader.ValueSpan) is { } valueEscape)
                    {
                        errors.Add(path.ToString(utf8), $"The string holds {valueEscape}, half of a surrogate pair without its other half; JSON text must be Unicode.");
                        reported++;
                    }
                    break;
                case JsonTokenType.Number:
                    path.Value();
                    if (!ExactNumber.IsExact(reader.ValueSpan, out var value))
                    {
                        errors.Add(path.ToString(utf8), DescribeInexact(reader.ValueSpan, value));
                        reported++;
                    }
                    break;
                default:
                    path.Value();
                    break;
            }
        }
        return errors;
    }

    private static string DescribeInexact(ReadOnlySpan<byte> literal, double value)
    {
        var text = Encoding.ASCII.GetString(literal.Length <= 40 ? literal : literal[..40]) + (literal.Length <= 40 ? "" : "…");
        return double.IsFinite(value)
            ? $"The number {text} has no exact IEEE 754 double: canonical JSON would turn it into {EcmaNumber.Format(value)}. Send a number a double holds exactly, or a string."
            : $"The number {text} is beyond the range of an IEEE 754 double, so canonical JSON cannot write it. Send it as a string.";
    }

    /// <summary>
    /// The first <c>\uXXXX</c> escape in a string's raw text that is a surrogate without its partner
    /// (a high one not followed by an escaped low one, or a low one without a high one before it), or null.
    /// </summary>
    private static string? LoneSurrogateEscape(ReadOnlySpan<byte> escaped)
    {
        var pendingHigh = -1;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\' || escaped[i + 1] != 'u')
            {
                if (pendingHigh >= 0) return Encoding.ASCII.GetString(escaped.Slice(pendingHigh, 6));
                if (escaped[i] == '\\') i++; // a two-character escape such as \n or \\
                continue;
            }
            var unit = (char)int.Parse(escaped.Slice(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
            // A low surrogate must follow a high one, and only a low one may follow a high one.
            if (char.IsLowSurrogate(unit) != pendingHigh >= 0)
                return Encoding.ASCII.GetString(escaped.Slice(pendingHigh >= 0 ? pendingHigh : i, 6));
            pendingHigh = char.IsHighSurrogate(unit) ? i : -1;
            i += 5;
        }
        return pendingHigh >= 0 ? Encoding.ASCII.GetString(escaped.Slice(pendingHigh, 6)) : null;
    }

    /// <summary>
    /// Where the reader is, as a JSON Pointer like the validator's: <c>/credentialSubject/achievement/id</c>,
    /// <c>/@context/0</c>, and <c>/3/name</c> inside a bulk array; the empty pointer for the document itself.
    /// </summary>
    private sealed class JsonPath
    {
        private readonly List<Frame> _frames = [];

        private record struct Frame(bool IsArray, int Index, int NameStart, int NameLength, bool NameEscaped);

        /// <summary>A value starts: in an array, it is the next item.</summary>
        public void Value()
        {
            if (_frames.Count > 0 && _frames[^1].IsArray)
                _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
        }

        public void Enter(bool isArray) => _frames.Add(new Frame(isArray, -1, 0, 0, false));

        public void Leave() => _frames.RemoveAt(_frames.Count - 1);

        public void Name(int start, int length, bool escaped) =>
            _frames[^1] = _frames[^1] with { NameStart = start, NameLength = length, NameEscaped = escaped };

        public string ToString(ReadOnlySpan<byte> utf8)
        {
            var path = new StringBuilder();
            foreach (var frame in _frames)
            {
                path.Append('/');
                if (frame.IsArray) path.Append(frame.Index);
                else path.Append(FieldPointer.Escape(NameText(utf8.Slice(frame.NameStart, frame.NameLength), frame.NameEscaped)));
            }
            return path.ToString();
        }

        /// <summary>A property name as text; one that has no text (a lone surrogate) keeps its escapes.</summary>
        private static string NameText(ReadOnlySpan<byte> raw, bool escaped)
        {
            if (!escaped || LoneSurrogateEscape(raw) is not null) return Encoding.UTF8.GetString(raw);
            Span<byte> quoted = new byte[raw.Length + 2];
            quoted[0] = quoted[^1] = (byte)'"';
            raw.CopyTo(quoted[1..]);
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            return reader.GetString()!;
        }
    }
}
