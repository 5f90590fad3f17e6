using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Json.Schema;

namespace Registry.Credentials;

/// <summary>
/// The checks a <see cref="CompiledSchema"/> is made of: one small object per keyword (<c>properties</c>, <c>required</c>
/// and <c>additionalProperties</c> share one), each letting pass the instances its keyword does not apply to.
/// </summary>
public sealed partial class CompiledSchema
{
    private abstract class Check
    {
        public abstract bool IsValid(JsonElement instance);
    }

    /// <summary>The boolean schemas <c>true</c> and <c>false</c>.</summary>
    private sealed class Always(bool valid) : Check
    {
        public static readonly Always Valid = new(true);
        public static readonly Always Invalid = new(false);

        public override bool IsValid(JsonElement instance) => valid;
    }

    /// <summary>A schema object: valid when all its keywords are. Its checks are filled in once compiled, so references can point at it before.</summary>
    private sealed class SchemaNode : Check
    {
        public Check[] Checks { get; set; } = [];

        public override bool IsValid(JsonElement instance)
        {
            foreach (var check in Checks)
                if (!check.IsValid(instance)) return false;
            return true;
        }
    }

    private sealed class RefCheck(Check target) : Check
    {
        public override bool IsValid(JsonElement instance) => target.IsValid(instance);
    }

    [Flags]
    private enum JsonType
    {
        Null = 1,
        Boolean = 2,
        Object = 4,
        Array = 8,
        Number = 16,
        String = 32,
        Integer = 64,
    }

    private sealed class TypeCheck(JsonType allowed) : Check
    {
        public override bool IsValid(JsonElement instance) => instance.ValueKind switch
        {
            JsonValueKind.Object => (allowed & JsonType.Object) != 0,
            JsonValueKind.Array => (allowed & JsonType.Array) != 0,
            JsonValueKind.String => (allowed & JsonType.String) != 0,
            JsonValueKind.True or JsonValueKind.False => (allowed & JsonType.Boolean) != 0,
            JsonValueKind.Null => (allowed & JsonType.Null) != 0,
            JsonValueKind.Number => (allowed & JsonType.Number) != 0 || ((allowed & JsonType.Integer) != 0 && IsInteger(instance)),
            _ => false,
        };

        /// <summary>
        /// JsonSchema.Net's reading: a number is an integer when it fits a long as written, or when its double
        /// has no fraction (so <c>1.0</c> and <c>1e2</c> are integers, and so is <c>1e400</c>, whose double is infinite).
        /// </summary>
        private static bool IsInteger(JsonElement number) =>
            number.TryGetInt64(out _) || (number.TryGetDouble(out var value) && value == Math.Truncate(value));
    }

    /// <summary><c>const</c> (one value) and <c>enum</c> (several): the instance must equal one of them.</summary>
    private sealed class ConstCheck(Constant[] values) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            foreach (var value in values)
                if (value.Matches(instance)) return true;
            return false;
        }
    }

    /// <summary>
    /// A value of <c>const</c> or <c>enum</c>, compared as JsonSchema.Net compares (Json.More's <c>IsEquivalentTo</c>):
    /// strings by their text, numbers by their <see cref="decimal"/> value, arrays item by item, objects property by
    /// property in any order. A string is kept as UTF-8 to compare without reading the instance into a string.
    /// </summary>
    private sealed class Constant
    {
        private readonly JsonElement _value;
        private readonly byte[]? _utf8;

        public Constant(JsonElement value)
        {
            _value = value.Clone();
            if (value.ValueKind == JsonValueKind.String) _utf8 = Encoding.UTF8.GetBytes(value.GetString()!);
        }

        public bool Matches(JsonElement instance) =>
            _utf8 is not null ? instance.ValueKind == JsonValueKind.String && instance.ValueEquals(_utf8) : Equivalent(_value, instance);

        private static bool Equivalent(JsonElement a, JsonElement b)
        {
            if (a.ValueKind != b.ValueKind) return false;
            switch (a.ValueKind)
            {
                case JsonValueKind.String:
                    return a.GetString() == b.GetString();
                case JsonValueKind.Number:
                    return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : JsonMath.NumberCompare(a, b) == 0;
                case JsonValueKind.Array:
                    if (a.GetArrayLength() != b.GetArrayLength()) return false;
                    using (var left = a.EnumerateArray().GetEnumerator())
                    using (var right = b.EnumerateArray().GetEnumerator())
                        while (left.MoveNext() && right.MoveNext())
                            if (!Equivalent(left.Current, right.Current)) return false;
                    return true;
                case JsonValueKind.Object:
                    if (a.GetPropertyCount() != b.GetPropertyCount()) return false;
                    foreach (var property in a.EnumerateObject())
                        if (!b.TryGetProperty(property.Name, out var other) || !Equivalent(property.Value, other)) return false;
                    return true;
                default:
                    return true; // true, false and null: equal kinds are equal values
            }
        }
    }

    private sealed class MinPropertiesCheck(long minimum) : Check
    {
        public override bool IsValid(JsonElement instance) => instance.ValueKind != JsonValueKind.Object || instance.GetPropertyCount() >= minimum;
    }

    private sealed class MinItemsCheck(long minimum) : Check
    {
        public override bool IsValid(JsonElement instance) => instance.ValueKind != JsonValueKind.Array || instance.GetArrayLength() >= minimum;
    }

    /// <summary>
    /// <c>minLength</c> in text elements, as JsonSchema.Net counts (<see cref="StringInfo.LengthInTextElements"/>):
    /// <c>"e\u0301"</c> is one, and so is an emoji with its modifiers. A text element is at least one UTF-16
    /// unit, so a string shorter than the minimum in UTF-16 fails without counting, and any non-empty string
    /// meets a minimum of one.
    /// </summary>
    private sealed class MinLengthCheck(long minimum) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.String || minimum == 0) return true;
            if (minimum == 1) return JsonMarshal.GetRawUtf8Value(instance).Length > 2; // more than the two quotes
            Span<char> scratch = stackalloc char[StackText];
            var text = Text(instance, scratch);
            if (text.Length < minimum) return false;
            long elements = 0;
            while (!text.IsEmpty && elements < minimum)
            {
                text = text[StringInfo.GetNextTextElementLength(text)..];
                elements++;
            }
            return elements >= minimum;
        }
    }

    /// <summary>
    /// <c>minimum</c>, compared exactly as JsonSchema.Net does (<see cref="JsonMath.NumberCompare"/>, digit by digit).
    /// Rounding to a double never reverses an order, so when the two doubles differ they decide; only equal doubles
    /// (or one beyond a double's range) need the exact comparison.
    /// </summary>
    private sealed class MinimumCheck(JsonElement limit) : Check
    {
        private readonly double _limit = limit.TryGetDouble(out var value) ? value : double.NaN;

        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Number) return true;
            if (double.IsFinite(_limit) && instance.TryGetDouble(out var number) && double.IsFinite(number) && number != _limit)
                return number > _limit;
            return JsonMath.NumberCompare(instance, limit) >= 0;
        }
    }

    private sealed class PatternCheck(Regex pattern) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.String) return true;
            Span<char> scratch = stackalloc char[StackText];
            return pattern.IsMatch(Text(instance, scratch));
        }
    }

    /// <summary>
    /// <c>format</c>, decided by JsonSchema.Net's own implementation of it, as its <c>format</c> keyword decides when
    /// format validation is required: for every instance (the formats themselves let non-strings pass).
    /// </summary>
    /// <remarks>
    /// Those implementations parse (a <see cref="Uri"/>, a regex match) and allocate, and they are most of the
    /// check's cost; yet a bulk request repeats the same issuer, achievement and dates in every credential. So the
    /// verdicts on recent strings are kept, by the string's raw UTF-8: a verdict depends on the text alone, so a
    /// kept one is exactly what the format would answer again. The store is bounded; when full it starts afresh,
    /// and the values that recur are back after one credential.
    /// </remarks>
    private sealed class FormatCheck : Check
    {
        private const int Slots = 1024;
        private const int MaxKeptLength = 512;

        private readonly Format _format;
        // A direct-mapped cache of recent verdicts: a slot holds one text and its verdict, and a new text that hashes
        // to the slot replaces it. Slots are replaced whole (a reference write is atomic), so readers need no lock:
        // values every credential repeats (an achievement's id, a date) hit, and the ones each credential has alone
        // (its id, its learner) cost a hash and a slot, never a lock or a clearing of the whole cache.
        private readonly Kept?[] _slots = new Kept?[Slots];

        public FormatCheck(Format format) => _format = format;

        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.String) return _format.Validate(instance, out _);
            var raw = JsonMarshal.GetRawUtf8Value(instance);
            if (raw.Length > MaxKeptLength) return _format.Validate(instance, out _);
            var hash = new HashCode();
            hash.AddBytes(raw);
            var slot = (int)((uint)hash.ToHashCode() % Slots);
            if (Volatile.Read(ref _slots[slot]) is { } kept && raw.SequenceEqual(kept.Text)) return kept.Verdict;
            var verdict = _format.Validate(instance, out _);
            Volatile.Write(ref _slots[slot], new Kept(raw.ToArray(), verdict));
            return verdict;
        }

        private sealed record Kept(byte[] Text, bool Verdict);
    }

    /// <summary>
    /// <c>properties</c>, <c>required</c> and <c>additionalProperties</c> of one schema object, in one pass over the
    /// instance's properties: each name is looked up among the few the schema names, rather than each of those
    /// searched for in the instance (a lookup by name in a <see cref="JsonElement"/> walks its properties).
    /// </summary>
    /// <remarks>
    /// Names are compared as raw UTF-8 unless the instance's name holds an escape. An instance with a name twice
    /// would have each occurrence checked here, where JsonSchema.Net checks one; <see cref="StrictJson"/> refuses
    /// such a document before any schema.
    /// </remarks>
    private sealed class PropertiesCheck : Check
    {
        /// <summary>A name the schema knows: its schema under <c>properties</c> (none if only <c>required</c> lists it), and its bit if required.</summary>
        private sealed record Known(byte[] Name, Check? Schema, ulong RequiredBit);

        private const int MaxRequired = 64;

        private readonly Known[] _known;
        private readonly ulong _allRequired;
        private readonly Check? _additional;

        /// <param name="properties">The schemas under <c>properties</c>, by name.</param>
        /// <param name="required">The names under <c>required</c>.</param>
        /// <param name="additional">The schema of <c>additionalProperties</c>, or null when it is absent or <c>true</c>.</param>
        public PropertiesCheck(IReadOnlyList<(string Name, Check Schema)> properties, IReadOnlyList<string> required, Check? additional)
        {
            var requiredNames = required.Distinct(StringComparer.Ordinal).ToList();
            if (requiredNames.Count > MaxRequired) throw new NotSupportedException($"'required' names more than {MaxRequired} properties.");
            _known = properties.Select(p => p.Name).Concat(requiredNames).Distinct(StringComparer.Ordinal)
                .Select(name => new Known(
                    Encoding.UTF8.GetBytes(name),
                    properties.FirstOrDefault(p => p.Name == name).Schema,
                    requiredNames.IndexOf(name) is var bit and >= 0 ? 1UL << bit : 0))
                .ToArray();
            _allRequired = _known.Aggregate(0UL, (bits, known) => bits | known.RequiredBit);
            _additional = additional;
        }

        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Object) return true;
            var present = 0UL;
            foreach (var property in instance.EnumerateObject())
            {
                var known = Find(property);
                // A name that only 'required' lists is not one 'properties' names, so 'additionalProperties' covers it.
                var schema = known?.Schema ?? _additional;
                if (schema is not null && !schema.IsValid(property.Value)) return false;
                if (known is not null) present |= known.RequiredBit;
            }
            return present == _allRequired;
        }

        private Known? Find(JsonProperty property)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.IndexOf((byte)'\\') < 0)
            {
                foreach (var known in _known)
                    if (raw.SequenceEqual(known.Name)) return known;
                return null;
            }
            foreach (var known in _known)
                if (property.NameEquals(known.Name)) return known;
            return null;
        }
    }

    /// <summary>
    /// <c>propertyNames</c>: each name, as a JSON string, must meet the schema. The name is made into an element of
    /// its own (an allocation), which only the VC 2.0 schema asks for, on the objects in <c>@context</c>.
    /// </summary>
    private sealed class PropertyNamesCheck(Check schema) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Object) return true;
            Span<byte> scratch = stackalloc byte[StackText];
            foreach (var property in instance.EnumerateObject())
            {
                // The raw name is already valid JSON string content, escapes and all.
                var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                var quoted = raw.Length + 2 <= scratch.Length ? scratch[..(raw.Length + 2)] : new byte[raw.Length + 2];
                quoted[0] = quoted[^1] = (byte)'"';
                raw.CopyTo(quoted[1..]);
                if (!schema.IsValid(JsonElement.Parse(quoted))) return false;
            }
            return true;
        }
    }

    private sealed class PrefixItemsCheck(Check[] schemas) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Array) return true;
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                if (index == schemas.Length) break;
                if (!schemas[index++].IsValid(item)) return false;
            }
            return true;
        }
    }

    /// <summary><c>items</c>: every element after the first <paramref name="skip"/> (those <c>prefixItems</c> describes).</summary>
    private sealed class ItemsCheck(int skip, Check schema) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Array) return true;
            var index = 0;
            foreach (var item in instance.EnumerateArray())
                if (index++ >= skip && !schema.IsValid(item)) return false;
            return true;
        }
    }

    /// <summary><c>contains</c> without <c>minContains</c> or <c>maxContains</c>: at least one element meets the schema.</summary>
    private sealed class ContainsCheck(Check schema) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Array) return true;
            foreach (var item in instance.EnumerateArray())
                if (schema.IsValid(item)) return true;
            return false;
        }
    }

    /// <summary>
    /// <c>uniqueItems: true</c> with JsonSchema.Net's notion of a duplicate, which is its dictionary's: equal hash and
    /// <c>IsEquivalentTo</c>. For an item that is a number both are its <see cref="decimal"/> value (<c>[1, 1.0]</c>
    /// repeats); inside an array or object the hash reads a number's text, so there the text must match as well
    /// (<c>[[1], [1.0]]</c> does not repeat).
    /// </summary>
    private sealed class UniqueItemsCheck : Check
    {
        private const int PairwiseLimit = 32;

        public override bool IsValid(JsonElement instance)
        {
            if (instance.ValueKind != JsonValueKind.Array) return true;
            var count = instance.GetArrayLength();
            if (count < 2) return true;
            if (count > PairwiseLimit)
            {
                var seen = new HashSet<JsonElement>(ItemComparer.Instance);
                foreach (var item in instance.EnumerateArray())
                    if (!seen.Add(item)) return false;
                return true;
            }
            var items = ArrayPool<JsonElement>.Shared.Rent(count);
            try
            {
                var n = 0;
                foreach (var item in instance.EnumerateArray()) items[n++] = item;
                for (var i = 1; i < n; i++)
                for (var j = 0; j < i; j++)
                    if (SameItem(items[i], items[j], topLevel: true)) return false;
                return true;
            }
            finally
            {
                ArrayPool<JsonElement>.Shared.Return(items, clearArray: true);
            }
        }

        private static bool SameItem(JsonElement a, JsonElement b, bool topLevel)
        {
            if (a.ValueKind != b.ValueKind) return false;
            switch (a.ValueKind)
            {
                case JsonValueKind.Number:
                    if (topLevel && a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y)) return x == y;
                    return JsonMarshal.GetRawUtf8Value(a).SequenceEqual(JsonMarshal.GetRawUtf8Value(b));
                case JsonValueKind.String:
                    var rawA = JsonMarshal.GetRawUtf8Value(a);
                    var rawB = JsonMarshal.GetRawUtf8Value(b);
                    return rawA.IndexOf((byte)'\\') < 0 && rawB.IndexOf((byte)'\\') < 0 ? rawA.SequenceEqual(rawB) : a.GetString() == b.GetString();
                case JsonValueKind.Array:
                    if (a.GetArrayLength() != b.GetArrayLength()) return false;
                    using (var left = a.EnumerateArray().GetEnumerator())
                    using (var right = b.EnumerateArray().GetEnumerator())
                        while (left.MoveNext() && right.MoveNext())
                            if (!SameItem(left.Current, right.Current, topLevel: false)) return false;
                    return true;
                case JsonValueKind.Object:
                    if (a.GetPropertyCount() != b.GetPropertyCount()) return false;
                    foreach (var property in a.EnumerateObject())
                        if (!b.TryGetProperty(property.Name, out var other) || !SameItem(property.Value, other, topLevel: false)) return false;
                    return true;
                default:
                    return true;
            }
        }

        /// <summary>For long arrays: a hash that agrees with <see cref="SameItem"/> (equal items, equal hashes), coarse inside containers.</summary>
        private sealed class ItemComparer : IEqualityComparer<JsonElement>
        {
            public static readonly ItemComparer Instance = new();

            public bool Equals(JsonElement a, JsonElement b) => SameItem(a, b, topLevel: true);

            public int GetHashCode(JsonElement item) => item.ValueKind switch
            {
                JsonValueKind.Number => item.TryGetDecimal(out var value) ? value.GetHashCode() : Hash(JsonMarshal.GetRawUtf8Value(item)),
                JsonValueKind.String => item.GetString()!.GetHashCode(StringComparison.Ordinal),
                JsonValueKind.Array => HashCode.Combine(item.ValueKind, item.GetArrayLength()),
                JsonValueKind.Object => HashCode.Combine(item.ValueKind, item.GetPropertyCount()),
                _ => item.ValueKind.GetHashCode(),
            };

            private static int Hash(ReadOnlySpan<byte> bytes)
            {
                var hash = new HashCode();
                hash.AddBytes(bytes);
                return hash.ToHashCode();
            }
        }
    }

    private sealed class AllOfCheck(Check[] schemas) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            foreach (var schema in schemas)
                if (!schema.IsValid(instance)) return false;
            return true;
        }
    }

    private sealed class AnyOfCheck(Check[] schemas) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            foreach (var schema in schemas)
                if (schema.IsValid(instance)) return true;
            return false;
        }
    }

    /// <summary><c>oneOf</c>: exactly one alternative; a second match settles it as invalid.</summary>
    private sealed class OneOfCheck(Check[] schemas) : Check
    {
        public override bool IsValid(JsonElement instance)
        {
            var matches = 0;
            foreach (var schema in schemas)
                if (schema.IsValid(instance) && ++matches > 1) return false;
            return matches == 1;
        }
    }

    /// <summary>Strings up to this many UTF-8 bytes are read onto the stack.</summary>
    private const int StackText = 256;

    /// <summary>
    /// A string's text without allocating when it is short and has no escapes (most are): its UTF-8 bytes are
    /// transcoded into <paramref name="scratch"/>. Anything else is read as JsonSchema.Net reads it, with <see cref="JsonElement.GetString"/>.
    /// </summary>
    private static ReadOnlySpan<char> Text(JsonElement value, Span<char> scratch)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        // UTF-8 never takes fewer bytes than UTF-16 takes chars, so the bytes' count bounds the chars'.
        if (raw.Length <= scratch.Length && raw.IndexOf((byte)'\\') < 0
            && Utf8.ToUtf16(raw, scratch, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            return scratch[..written];
        return value.GetString();
    }
}
