using System.Buffers;
using System.Globalization;
using System.Text;

namespace Registry.LinkedData;

/// <summary>
/// N-Quads in canonical form (RDF 1.2 N-Quads, as RDFC-1.0 writes them): one quad a line, terms
/// separated by one space, a line ending in " .\n"; in a literal, backslash, quote, and the
/// control characters backspace, tab, newline, form feed and carriage return are written as
/// ECHAR escapes, every other character below U+0020 and U+007F as <c>\u00XX</c>.
/// <see cref="Parse"/> reads the N-Quads the W3C test suites hold, escapes of either kind included.
/// </summary>
public static class NQuads
{
    public static string Serialize(IEnumerable<RdfQuad> quads)
    {
        var builder = new StringBuilder();
        foreach (var quad in quads)
            WriteQuad(builder, quad);
        return builder.ToString();
    }

    public static string SerializeQuad(RdfQuad quad)
    {
        var builder = new StringBuilder();
        WriteQuad(builder, quad);
        return builder.ToString();
    }

    public static void WriteQuad(StringBuilder builder, RdfQuad quad)
    {
        WriteTerm(builder, quad.Subject);
        builder.Append(' ');
        WriteTerm(builder, quad.Predicate);
        builder.Append(' ');
        WriteTerm(builder, quad.Object);
        if (quad.Graph is not null)
        {
            builder.Append(' ');
            WriteTerm(builder, quad.Graph);
        }
        builder.Append(" .\n");
    }

    public static void WriteTerm(StringBuilder builder, RdfTerm term)
    {
        switch (term.Kind)
        {
            case RdfTermKind.Iri:
                builder.Append('<').Append(term.Value).Append('>');
                break;
            case RdfTermKind.BlankNode:
                builder.Append("_:").Append(term.Value);
                break;
            default:
                builder.Append('"');
                WriteEscaped(builder, term.Value);
                builder.Append('"');
                if (term.Language is not null)
                    builder.Append('@').Append(term.Language);
                else if (term.Datatype is not null && term.Datatype != RdfTerm.XsdString)
                    builder.Append("^^<").Append(term.Datatype).Append('>');
                break;
        }
    }

    /// <summary>One term as canonical N-Quads, in UTF-8.</summary>
    public static byte[] TermToUtf8(RdfTerm term)
    {
        // Most terms need no escape: write them straight to bytes; the others go through the one escaper.
        if (term.Kind == RdfTermKind.Literal && term.Value.AsSpan().ContainsAny(MustEscape))
        {
            var builder = new StringBuilder();
            WriteTerm(builder, term);
            return Encoding.UTF8.GetBytes(builder.ToString());
        }
        var (prefix, suffix) = term.Kind switch
        {
            RdfTermKind.Iri => ("<", ">"),
            RdfTermKind.BlankNode => ("_:", ""),
            _ when term.Language is not null => ("\"", "\"@" + term.Language),
            _ when term.Datatype is not null && term.Datatype != RdfTerm.XsdString => ("\"", "\"^^<" + term.Datatype + ">"),
            _ => ("\"", "\""),
        };
        var bytes = new byte[prefix.Length + Encoding.UTF8.GetByteCount(term.Value) + Encoding.UTF8.GetByteCount(suffix)];
        var at = Encoding.UTF8.GetBytes(prefix, bytes);
        at += Encoding.UTF8.GetBytes(term.Value, bytes.AsSpan(at));
        Encoding.UTF8.GetBytes(suffix, bytes.AsSpan(at));
        return bytes;
    }

    private static readonly SearchValues<char> MustEscape = SearchValues.Create(
        "\\\"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private static void WriteEscaped(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }
    }

    /// <summary>Reads N-Quads; comments and blank lines are skipped. Throws <see cref="FormatException"/> on anything else malformed.</summary>
    public static List<RdfQuad> Parse(string text)
    {
        var quads = new List<RdfQuad>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            var reader = new LineReader(line, lineNumber);
            reader.SkipSpace();
            if (reader.AtEnd || reader.Peek == '#')
                continue;
            var subject = reader.ReadTerm();
            var predicate = reader.ReadTerm();
            var obj = reader.ReadTerm();
            reader.SkipSpace();
            RdfTerm? graph = reader.Peek == '.' ? null : reader.ReadTerm();
            reader.SkipSpace();
            reader.Expect('.');
            reader.SkipSpace();
            if (!reader.AtEnd && reader.Peek != '#')
                throw reader.Error("text after the closing '.'");
            quads.Add(new RdfQuad(subject, predicate, obj, graph));
        }
        return quads;
    }

    private ref struct LineReader(string line, int number)
    {
        private int position;

        public readonly bool AtEnd => position >= line.Length;

        public readonly char Peek => AtEnd ? '\0' : line[position];

        public readonly FormatException Error(string what) =>
            new($"N-Quads line {number}, column {position + 1}: {what}");

        public void SkipSpace()
        {
            while (!AtEnd && (line[position] == ' ' || line[position] == '\t'))
                position++;
        }

        public void Expect(char c)
        {
            if (Peek != c)
                throw Error($"expected '{c}'");
            position++;
        }

        public RdfTerm ReadTerm()
        {
            SkipSpace();
            switch (Peek)
            {
                case '<':
                    return RdfTerm.Iri(ReadIri());
                case '_':
                    position++;
                    Expect(':');
                    var start = position;
                    while (!AtEnd && line[position] is not (' ' or '\t') && !(line[position] == '.' && (position + 1 == line.Length || line[position + 1] is ' ' or '\t')))
                        position++;
                    if (position == start)
                        throw Error("empty blank node label");
                    return RdfTerm.Blank(line[start..position]);
                case '"':
                    position++;
                    var lexical = ReadString();
                    if (Peek == '@')
                    {
                        position++;
                        var tagStart = position;
                        while (!AtEnd && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '-'))
                            position++;
                        return RdfTerm.Literal(lexical, language: line[tagStart..position]);
                    }
                    if (Peek == '^')
                    {
                        position++;
                        Expect('^');
                        return RdfTerm.Literal(lexical, ReadIri());
                    }
                    return RdfTerm.Literal(lexical);
                default:
                    throw Error("expected an IRI, a blank node or a literal");
            }
        }

        private string ReadIri()
        {
            Expect('<');
            var builder = new StringBuilder();
            while (!AtEnd && line[position] != '>')
            {
                if (line[position] == '\\')
                    builder.Append(ReadUnicodeEscape());
                else
                    builder.Append(line[position++]);
            }
            Expect('>');
            return builder.ToString();
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                    throw Error("unterminated literal");
                var c = line[position];
                if (c == '"')
                {
                    position++;
                    return builder.ToString();
                }
                if (c != '\\')
                {
                    builder.Append(c);
                    position++;
                    continue;
                }
                var next = position + 1 < line.Length ? line[position + 1] : '\0';
                switch (next)
                {
                    case 't': builder.Append('\t'); position += 2; break;
                    case 'b': builder.Append('\b'); position += 2; break;
                    case 'n': builder.Append('\n'); position += 2; break;
                    case 'r': builder.Append('\r'); position += 2; break;
                    case 'f': builder.Append('\f'); position += 2; break;
                    case '"': builder.Append('"'); position += 2; break;
                    case '\'': builder.Append('\''); position += 2; break;
                    case '\\': builder.Append('\\'); position += 2; break;
                    default: builder.Append(ReadUnicodeEscape()); break;
                }
            }
        }

        private string ReadUnicodeEscape()
        {
            Expect('\\');
            var length = Peek switch { 'u' => 4, 'U' => 8, _ => throw Error("unknown escape") };
            position++;
            if (position + length > line.Length)
                throw Error("short unicode escape");
            var hex = line.Substring(position, length);
            if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                throw Error("bad unicode escape");
            position += length;
            return char.ConvertFromUtf32(code);
        }
    }
}
