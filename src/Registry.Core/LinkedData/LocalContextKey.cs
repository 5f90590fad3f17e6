using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>
/// A document's own <c>@context</c> as a key of the cache of processed contexts: equal to another when
/// the two are the same JSON, member for member in the same order, each value the same text. It is
/// compared where it lies, without writing it out: a credential carries the registry's context inline
/// (2 KB), and its text was made twice a signature check before, for nothing but a lookup that finds it.
/// </summary>
/// <remarks>
/// Values parsed from text compare by the bytes they were written with, so two spellings of one string
/// (an escape or not) are two keys: a second processing, never a wrong one. The cache keeps a copy
/// (<see cref="Detached"/>), so no document stays alive through it.
/// </remarks>
internal sealed class LocalContextKey : IEquatable<LocalContextKey>
{
    private readonly JsonNode? _context;
    private readonly int _hash;

    private LocalContextKey(JsonNode? context, int hash)
    {
        _context = context;
        _hash = hash;
    }

    public static LocalContextKey Of(JsonNode? context)
    {
        var hash = new HashCode();
        Add(ref hash, context);
        return new LocalContextKey(context, hash.ToHashCode());
    }

    /// <summary>The key with a copy of the context, to keep in the cache.</summary>
    public LocalContextKey Detached() => new(_context?.DeepClone(), _hash);

    public bool Equals(LocalContextKey? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && Same(_context, other._context)));

    public override bool Equals(object? obj) => obj is LocalContextKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static void Add(ref HashCode hash, JsonNode? node)
    {
        switch (node)
        {
            case null:
                hash.Add(0);
                break;
            case JsonObject members:
                hash.Add(1);
                // By position: enumerating a JsonObject boxes its enumerator.
                for (var i = 0; i < members.Count; i++)
                {
                    var (name, value) = members.GetAt(i);
                    hash.Add(name);
                    Add(ref hash, value);
                }
                hash.Add(2);
                break;
            case JsonArray items:
                hash.Add(3);
                for (var i = 0; i < items.Count; i++)
                    Add(ref hash, items[i]);
                hash.Add(4);
                break;
            case JsonValue value when value.TryGetValue<JsonElement>(out var element):
                hash.AddBytes(JsonMarshal.GetRawUtf8Value(element));
                break;
            default:
                hash.Add(node.ToJsonString());
                break;
        }
    }

    private static bool Same(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject x:
            {
                if (b is not JsonObject y || x.Count != y.Count)
                    return false;
                for (var i = 0; i < x.Count; i++)
                {
                    var (xName, xValue) = x.GetAt(i);
                    var (yName, yValue) = y.GetAt(i);
                    if (xName != yName || !Same(xValue, yValue))
                        return false;
                }
                return true;
            }
            case JsonArray x:
            {
                if (b is not JsonArray y || x.Count != y.Count)
                    return false;
                for (var i = 0; i < x.Count; i++)
                {
                    if (!Same(x[i], y[i]))
                        return false;
                }
                return true;
            }
            default:
                if (b is not JsonValue other)
                    return false;
                if (((JsonValue)a).TryGetValue<JsonElement>(out var left) && other.TryGetValue<JsonElement>(out var right))
                    return JsonMarshal.GetRawUtf8Value(left).SequenceEqual(JsonMarshal.GetRawUtf8Value(right));
                return a.ToJsonString() == b.ToJsonString();
        }
    }
}
