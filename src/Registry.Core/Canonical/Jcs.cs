using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Registry.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785): one byte sequence for every JSON value, whatever
/// the whitespace, property order, string escapes or number notation of its source.
/// </summary>
/// <remarks>
/// Properties are sorted by their names' UTF-16 code units; strings escape only what JSON
/// requires, with the short escapes where they exist and lowercase \u00xx otherwise; numbers are
/// written as ECMAScript writes a double. The output is UTF-8 without a byte order mark.
/// </remarks>
/// <summary>Reads canonical bytes that are valid only during the call.</summary>
public delegate TResult CanonicalReader<out TResult>(ReadOnlySpan<byte> canonical);

public static class Jcs
{
    /// <summary>Nesting deeper than this is refused rather than recursed into.</summary>
    public const int MaxDepth = 1000;

    public static byte[] Canonicalize(JsonNode? node)
    {
        var writer = new CanonicalWriter();
        try
        {
            writer.WriteNode(node, 0);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static byte[] Canonicalize(JsonElement element)
    {
        var writer = new CanonicalWriter();
        try
        {
            writer.WriteElement(element, 0);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Hands the canonical form of <paramref name="node"/> to <paramref name="read"/> where it was written, in a pooled buffer, without a copy.</summary>
    public static TResult Canonicalize<TResult>(JsonNode? node, CanonicalReader<TResult> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var writer = new CanonicalWriter();
        try
        {
            writer.WriteNode(node, 0);
            return read(writer.Written);
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static void Canonicalize(JsonNode? node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new CanonicalWriter();
        try
        {
            writer.WriteNode(node, 0);
            output.Write(writer.Written);
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static void Canonicalize(JsonElement element, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new CanonicalWriter();
        try
        {
            writer.WriteElement(element, 0);
            output.Write(writer.Written);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Parses UTF-8 JSON text and returns its canonical form.</summary>
    /// <exception cref="JcsException">The text is not JSON, or has no canonical form.</exception>
    public static byte[] CanonicalizeJson(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new JcsException("The JSON text has more after its value.");
            }
        }
        catch (JsonException e)
        {
            throw new JcsException($"The text is not JSON: {e.Message}", e);
        }

        using (document)
        {
            return Canonicalize(document.RootElement);
        }
    }

    public static string CanonicalizeToString(JsonNode? node) => Encoding.UTF8.GetString(Canonicalize(node));

    public static string CanonicalizeToString(JsonElement element) => Encoding.UTF8.GetString(Canonicalize(element));

    /// <summary>Appends canonical UTF-8 to a pooled buffer.</summary>
    private sealed class CanonicalWriter : IDisposable
    {
        // The characters a JSON string cannot hold literally: the controls, the quote and the backslash.
        private static readonly SearchValues<char> MustEscape = SearchValues.Create(
            "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
            "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\");

        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Dispose()
        {
            var buffer = _buffer;
            _buffer = [];
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public void WriteNode(JsonNode? node, int depth)
        {
            switch (node)
            {
                case null:
                    WriteAscii("null"u8);
                    break;
                case JsonObject obj:
                    WriteObject(obj, depth);
                    break;
                case JsonArray array:
                    CheckDepth(depth);
                    WriteByte((byte)'[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (i > 0)
                        {
                            WriteByte((byte)',');
                        }

                        WriteNode(array[i], depth + 1);
                    }

                    WriteByte((byte)']');
                    break;
                case JsonValue value:
                    WriteValue(value, depth);
                    break;
                default:
                    throw new JcsException($"Unknown JSON node type {node.GetType().Name}.");
            }
        }

        private void WriteObject(JsonObject obj, int depth)
        {
            CheckDepth(depth);
            int count;
            try
            {
                count = obj.Count;
            }
            catch (ArgumentException e)
            {
                // A JsonObject parsed from text with a name twice fails when it first reads its properties.
                throw new JcsException($"An object has a property name twice: {e.Message}", e);
            }

            var properties = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(count);
            try
            {
                var n = 0;
                foreach (var property in obj)
                {
                    properties[n++] = property;
                }

                WriteMembers(properties.AsSpan(0, n), depth, static (writer, value, d) => writer.WriteNode(value, d));
            }
            finally
            {
                properties.AsSpan(0, count).Clear();
                ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(properties);
            }
        }

        private void WriteValue(JsonValue value, int depth)
        {
            // A node parsed from text wraps a JsonElement; one built in code wraps a .NET value.
            if (value.TryGetValue<JsonElement>(out var element))
            {
                WriteElement(element, depth);
                return;
            }

            if (value.TryGetValue<CanonicalFragment>(out var fragment))
            {
                var bytes = fragment.Utf8.Span;
                bytes.CopyTo(Reserve(bytes.Length));
                _length += bytes.Length;
                return;
            }

            switch (value.GetValueKind())
            {
                case JsonValueKind.String when value.TryGetValue<string>(out var text):
                    WriteString(text, isName: false);
                    return;
                case JsonValueKind.True:
                    WriteAscii("true"u8);
                    return;
                case JsonValueKind.False:
                    WriteAscii("false"u8);
                    return;
                case JsonValueKind.Null:
                    WriteAscii("null"u8);
                    return;
                case JsonValueKind.Number when value.TryGetValue<double>(out var number):
                    WriteNumber(number);
                    return;
                case JsonValueKind.Number when value.TryGetValue<float>(out var single) && !float.IsFinite(single):
                    WriteNumber(single);
                    return;
            }

            // Anything else (other number types, dates, chars, …): take the JSON that
            // System.Text.Json writes for it and canonicalize that.
            var json = new ArrayBufferWriter<byte>();
            try
            {
                using var jsonWriter = new Utf8JsonWriter(json);
                value.WriteTo(jsonWriter);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw new JcsException($"A JSON value has no JSON text: {e.Message}", e);
            }

            using var document = JsonDocument.Parse(json.WrittenMemory);
            WriteElement(document.RootElement, depth);
        }

        public void WriteElement(JsonElement element, int depth)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    WriteObject(element, depth);
                    break;
                case JsonValueKind.Array:
                    CheckDepth(depth);
                    WriteByte((byte)'[');
                    var first = true;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!first)
                        {
                            WriteByte((byte)',');
                        }

                        first = false;
                        WriteElement(item, depth + 1);
                    }

                    WriteByte((byte)']');
                    break;
                case JsonValueKind.String:
                    WriteString(ReadString(element), isName: false);
                    break;
                case JsonValueKind.Number:
                    if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        throw new JcsException($"The number {Shorten(element.GetRawText())} is too large for a double, so it has no canonical form.");
                    }

                    WriteNumber(number);
                    break;
                case JsonValueKind.True:
                    WriteAscii("true"u8);
                    break;
                case JsonValueKind.False:
                    WriteAscii("false"u8);
                    break;
                case JsonValueKind.Null:
                    WriteAscii("null"u8);
                    break;
                default:
                    throw new JcsException("A JSON element holds no value.");
            }
        }

        private void WriteObject(JsonElement element, int depth)
        {
            CheckDepth(depth);
            var count = 0;
            foreach (var _ in element.EnumerateObject())
            {
                count++;
            }

            var properties = ArrayPool<KeyValuePair<string, JsonElement>>.Shared.Rent(count);
            try
            {
                var n = 0;
                foreach (var property in element.EnumerateObject())
                {
                    properties[n++] = new(ReadName(property), property.Value);
                }

                WriteMembers(properties.AsSpan(0, n), depth, static (writer, value, d) => writer.WriteElement(value, d));
            }
            finally
            {
                properties.AsSpan(0, count).Clear();
                ArrayPool<KeyValuePair<string, JsonElement>>.Shared.Return(properties);
            }
        }

        // System.Text.Json refuses to turn an escaped lone surrogate ("\ud800") into a string.
        /// <summary>Writes an object's members sorted by name (UTF-16 code units), refusing a name given twice.</summary>
        private void WriteMembers<TValue>(Span<KeyValuePair<string, TValue>> members, int depth, Action<CanonicalWriter, TValue, int> writeValue)
        {
            members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            WriteByte((byte)'{');
            for (var i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
                    {
                        throw DuplicateName(members[i].Key);
                    }

                    WriteByte((byte)',');
                }

                WriteString(members[i].Key, isName: true);
                WriteByte((byte)':');
                writeValue(this, members[i].Value, depth + 1);
            }

            WriteByte((byte)'}');
        }

        private static string ReadString(JsonElement element)
        {
            try
            {
                return element.GetString()!;
            }
            catch (InvalidOperationException e)
            {
                throw new JcsException($"A string is not valid Unicode: {e.Message}", e);
            }
        }

        private static string ReadName(JsonProperty property)
        {
            try
            {
                return property.Name;
            }
            catch (InvalidOperationException e)
            {
                throw new JcsException($"A property name is not valid Unicode: {e.Message}", e);
            }
        }

        private void WriteNumber(double value)
        {
            var destination = Reserve(EcmaNumber.MaxLength);
            _length += EcmaNumber.Format(value, destination);
        }

        private void WriteString(string text, bool isName)
        {
            WriteByte((byte)'"');
            var rest = text.AsSpan();
            var consumed = 0;
            while (!rest.IsEmpty)
            {
                var stop = rest.IndexOfAny(MustEscape);
                var run = stop < 0 ? rest : rest[..stop];
                if (!run.IsEmpty)
                {
                    // A UTF-16 code unit becomes at most three UTF-8 bytes (a pair becomes four).
                    var destination = Reserve(run.Length * 3);
                    var status = Utf8.FromUtf16(run, destination, out var read, out var written, replaceInvalidSequences: false);
                    if (status != OperationStatus.Done)
                    {
                        var what = isName ? "property name" : "string";
                        throw new JcsException(
                            $"The {what} \"{Shorten(text)}\" is not valid UTF-16: it has a lone surrogate at index {consumed + read}.");
                    }

                    _length += written;
                }

                if (stop < 0)
                {
                    break;
                }

                WriteEscape(rest[stop]);
                consumed += stop + 1;
                rest = rest[(stop + 1)..];
            }

            WriteByte((byte)'"');
        }

        private void WriteEscape(char c)
        {
            var destination = Reserve(6);
            destination[0] = (byte)'\\';
            var shortForm = c switch
            {
                '\b' => 'b',
                '\t' => 't',
                '\n' => 'n',
                '\f' => 'f',
                '\r' => 'r',
                '"' => '"',
                '\\' => '\\',
                _ => '\0',
            };
            if (shortForm != '\0')
            {
                destination[1] = (byte)shortForm;
                _length += 2;
                return;
            }

            const string hex = "0123456789abcdef";
            destination[1] = (byte)'u';
            destination[2] = (byte)'0';
            destination[3] = (byte)'0';
            destination[4] = (byte)hex[c >> 4];
            destination[5] = (byte)hex[c & 0xF];
            _length += 6;
        }

        private void WriteAscii(ReadOnlySpan<byte> text)
        {
            text.CopyTo(Reserve(text.Length));
            _length += text.Length;
        }

        private void WriteByte(byte value)
        {
            if (_length == _buffer.Length)
            {
                Grow(1);
            }

            _buffer[_length++] = value;
        }

        /// <summary>Room for <paramref name="size"/> bytes at the end; the caller advances _length.</summary>
        private Span<byte> Reserve(int size)
        {
            if (_buffer.Length - _length < size)
            {
                Grow(size);
            }

            return _buffer.AsSpan(_length);
        }

        private void Grow(int size)
        {
            var needed = (long)_length + size;
            var capacity = Math.Max(needed, 2L * _buffer.Length);
            if (capacity > Array.MaxLength)
            {
                capacity = needed <= Array.MaxLength ? Array.MaxLength : throw new JcsException("The canonical form is too large.");
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)capacity);
            Written.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        private static void CheckDepth(int depth)
        {
            if (depth >= MaxDepth)
            {
                throw new JcsException($"The JSON nests deeper than {MaxDepth} levels.");
            }
        }

        private static JcsException DuplicateName(string name) =>
            new($"The property name \"{Shorten(name)}\" appears twice in one object.");

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
