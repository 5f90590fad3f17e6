using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Registry.LinkedData;

/// <summary>The hash function RDFC-1.0 runs with: SHA-256 unless a caller asks for SHA-384.</summary>
public enum RdfcHashAlgorithm
{
    Sha256,
    Sha384,
}

/// <summary>
/// How a canonicalization runs. <see cref="MaxWork"/> bounds the blank node disambiguation that
/// poison datasets blow up (RDFC-1.0, section 4.4's security note): every call of Hash N-Degree
/// Quads and every permutation it tries counts one step, and a dataset that needs more is refused
/// with a <see cref="RdfcLimitExceededException"/>. Datasets whose blank nodes are told apart by
/// their own quads, as a credential's are, take no steps at all.
/// </summary>
public sealed record RdfcOptions(RdfcHashAlgorithm HashAlgorithm = RdfcHashAlgorithm.Sha256, int MaxWork = RdfcOptions.DefaultMaxWork)
{
    /// <summary>
    /// Above the 3,348 steps that the most demanding datasets of the W3C suite (tests 044 to 046)
    /// take, and low enough that the suite's poison clique is refused in about a tenth of a second.
    /// </summary>
    public const int DefaultMaxWork = 5_000;

    public static readonly RdfcOptions Default = new();
}

/// <summary>A dataset whose canonicalization would take more than <see cref="RdfcOptions.MaxWork"/> steps.</summary>
public sealed class RdfcLimitExceededException(int maxWork)
    : Exception($"RDFC-1.0: telling the dataset's blank nodes apart takes more than {maxWork} steps; it is refused as a possible poison dataset.")
{
    public int MaxWork { get; } = maxWork;
}

/// <summary>A canonical dataset, and the canonical label (<c>c14nN</c>) issued for each input blank node label.</summary>
public sealed record RdfcResult(string NQuads, IReadOnlyDictionary<string, string> IssuedIdentifiers);

/// <summary>
/// RDF Dataset Canonicalization 1.0 (W3C Recommendation, 21 May 2024): relabels a dataset's blank
/// nodes so that isomorphic datasets give the same canonical N-Quads, sorted in code point order
/// with duplicates removed. Pure and thread-safe.
/// </summary>
/// <remarks>
/// Quads are written once as UTF-8 byte pieces and every serialization, sort and hash works on
/// bytes: UTF-8 byte order is code point order, which is the order the specification asks for
/// (UTF-16 code unit order is not, above the basic plane).
/// </remarks>
public static class Rdfc10
{
    public static string Canonicalize(IReadOnlyList<RdfQuad> quads, RdfcOptions? options = null) =>
        Encoding.UTF8.GetString(CanonicalizeToUtf8(quads, options));

    /// <summary>The canonical N-Quads as UTF-8, the bytes a cryptosuite hashes.</summary>
    public static byte[] CanonicalizeToUtf8(IReadOnlyList<RdfQuad> quads, RdfcOptions? options = null)
    {
        using var canonicalizer = new Canonicalizer(quads, options ?? RdfcOptions.Default);
        return canonicalizer.Run().Output().ToArray();
    }

    /// <summary>SHA-256 of the canonical N-Quads (what a cryptosuite signs), written to <paramref name="destination"/> without a copy of them.</summary>
    public static void HashCanonical(IReadOnlyList<RdfQuad> quads, Span<byte> destination, RdfcOptions? options = null)
    {
        using var canonicalizer = new Canonicalizer(quads, options ?? RdfcOptions.Default);
        SHA256.HashData(canonicalizer.Run().Output(), destination);
    }

    public static RdfcResult CanonicalizeWithMap(IReadOnlyList<RdfQuad> quads, RdfcOptions? options = null)
    {
        using var canonicalizer = new Canonicalizer(quads, options ?? RdfcOptions.Default);
        var nquads = Encoding.UTF8.GetString(canonicalizer.Run().Output());
        return new RdfcResult(nquads, canonicalizer.IssuedIdentifiers());
    }

    /// <summary>A quad as UTF-8 pieces: each position holds either its written term or a blank node's index.</summary>
    private readonly record struct EncodedQuad(byte[]? Subject, int SubjectBlank, byte[] Predicate, byte[]? Object, int ObjectBlank, byte[]? Graph, int GraphBlank, bool HasGraph);

    /// <summary>Compares quads (by their index in the encoded list) by content, to drop repeats.</summary>
    private sealed class SameQuad(List<EncodedQuad> quads) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y)
        {
            var (a, b) = (quads[x], quads[y]);
            return a.SubjectBlank == b.SubjectBlank && a.ObjectBlank == b.ObjectBlank && a.GraphBlank == b.GraphBlank && a.HasGraph == b.HasGraph
                && Same(a.Subject, b.Subject) && Same(a.Predicate, b.Predicate) && Same(a.Object, b.Object) && Same(a.Graph, b.Graph);
        }

        public int GetHashCode(int index)
        {
            var quad = quads[index];
            var hash = new HashCode();
            hash.Add(quad.SubjectBlank);
            hash.Add(quad.ObjectBlank);
            hash.Add(quad.GraphBlank);
            hash.AddBytes(quad.Subject);
            hash.AddBytes(quad.Predicate);
            hash.AddBytes(quad.Object);
            hash.AddBytes(quad.Graph);
            return hash.ToHashCode();
        }

        private static bool Same(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    }

    /// <summary>Orders lines, given as ranges of one buffer, by their bytes: code point order.</summary>
    private readonly struct LineOrder(byte[] buffer) : IComparer<(int Start, int Length)>
    {
        public int Compare((int Start, int Length) x, (int Start, int Length) y) =>
            buffer.AsSpan(x.Start, x.Length).SequenceCompareTo(buffer.AsSpan(y.Start, y.Length));
    }

    /// <summary>Issues labels <c>prefix0</c>, <c>prefix1</c>, … to blank nodes (by index) in the order asked.</summary>
    private sealed class IdentifierIssuer
    {
        private readonly string prefix;
        private readonly int[] issued;
        private readonly List<int> order;

        public IdentifierIssuer(string prefix, int blankNodes)
        {
            this.prefix = prefix;
            issued = new int[blankNodes];
            Array.Fill(issued, -1);
            order = [];
        }

        private IdentifierIssuer(IdentifierIssuer source)
        {
            prefix = source.prefix;
            issued = (int[])source.issued.Clone();
            order = [.. source.order];
        }

        public IReadOnlyList<int> Order => order;

        public bool Has(int blank) => issued[blank] >= 0;

        public string Label(int blank) => prefix + issued[blank].ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string Issue(int blank)
        {
            if (issued[blank] < 0)
            {
                issued[blank] = order.Count;
                order.Add(blank);
            }
            return Label(blank);
        }

        public IdentifierIssuer Copy() => new(this);
    }

    private sealed class Canonicalizer : IDisposable
    {
        private static readonly byte[] BlankA = "_:a"u8.ToArray();
        private static readonly byte[] BlankZ = "_:z"u8.ToArray();

        private readonly RdfcOptions options;
        private readonly List<EncodedQuad> quads = [];
        private readonly List<string> blankLabels = [];
        private readonly List<List<int>> quadsOfBlank = [];
        private readonly IdentifierIssuer canonical;
        private readonly string[] firstDegreeHashes;
        private byte[][]? canonicalLabelBytes;
        private readonly ByteBuffer lines;
        private readonly ByteBuffer scratch;
        private readonly List<(int Start, int Length)> lineRanges = [];
        private int work;

        public Canonicalizer(IReadOnlyList<RdfQuad> input, RdfcOptions options)
        {
            this.options = options;
            var blankIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var distinct = new HashSet<int>(input.Count, new SameQuad(quads));
            foreach (var quad in input)
            {
                if (!quad.Predicate.IsIri)
                    throw new ArgumentException("An RDF predicate must be an IRI.", nameof(input));
                var (subject, subjectBlank) = Encode(quad.Subject);
                var (obj, objectBlank) = Encode(quad.Object);
                var (graph, graphBlank) = quad.Graph is null ? (null, -1) : Encode(quad.Graph);
                quads.Add(new EncodedQuad(subject, subjectBlank, NQuads.TermToUtf8(quad.Predicate), obj, objectBlank, graph, graphBlank, quad.Graph is not null));
                if (!distinct.Add(quads.Count - 1))
                {
                    quads.RemoveAt(quads.Count - 1); // a dataset is a set: a repeated quad is one quad
                    continue;
                }
                var index = quads.Count - 1;
                foreach (var blank in (ReadOnlySpan<int>)[subjectBlank, objectBlank, graphBlank])
                {
                    if (blank >= 0 && (quadsOfBlank[blank].Count == 0 || quadsOfBlank[blank][^1] != index))
                        quadsOfBlank[blank].Add(index);
                }
            }
            var size = 0;
            foreach (var quad in quads)
                size += quad.Predicate.Length + (quad.Subject?.Length ?? 16) + (quad.Object?.Length ?? 16) + (quad.Graph?.Length ?? 16) + 8;
            lines = new ByteBuffer(size);
            scratch = new ByteBuffer(size);
            canonical = new IdentifierIssuer("c14n", blankLabels.Count);
            firstDegreeHashes = new string[blankLabels.Count];

            (byte[]? Bytes, int Blank) Encode(RdfTerm term)
            {
                if (!term.IsBlank)
                    return (NQuads.TermToUtf8(term), -1);
                if (!blankIndex.TryGetValue(term.Value, out var blank))
                {
                    blank = blankLabels.Count;
                    blankIndex.Add(term.Value, blank);
                    blankLabels.Add(term.Value);
                    quadsOfBlank.Add([]);
                }
                return (null, blank);
            }
        }

        public Canonicalizer Run()
        {
            var blankCount = blankLabels.Count;
            var nodesOfHash = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            for (var blank = 0; blank < blankCount; blank++)
            {
                var hash = firstDegreeHashes[blank] = HashFirstDegreeQuads(blank);
                if (!nodesOfHash.TryGetValue(hash, out var nodes))
                    nodesOfHash.Add(hash, nodes = []);
                nodes.Add(blank);
            }

            // Blank nodes with a unique first-degree hash get their labels in hash order.
            foreach (var (_, nodes) in nodesOfHash)
            {
                if (nodes.Count == 1)
                    canonical.Issue(nodes[0]);
            }

            // The others are told apart by their surroundings, group by group in hash order.
            foreach (var (_, nodes) in nodesOfHash)
            {
                if (nodes.Count == 1)
                    continue;
                var paths = new List<(string Hash, IdentifierIssuer Issuer)>();
                foreach (var blank in nodes)
                {
                    if (canonical.Has(blank))
                        continue;
                    var temporary = new IdentifierIssuer("b", blankCount);
                    temporary.Issue(blank);
                    paths.Add(HashNDegreeQuads(blank, temporary));
                }
                paths.Sort((x, y) => string.CompareOrdinal(x.Hash, y.Hash));
                foreach (var (_, issuer) in paths)
                {
                    foreach (var blank in issuer.Order)
                        canonical.Issue(blank);
                }
            }
            return this;
        }

        /// <summary>The canonical N-Quads, valid until the canonicalizer is disposed.</summary>
        public ReadOnlySpan<byte> Output()
        {
            canonicalLabelBytes = new byte[blankLabels.Count][];
            for (var blank = 0; blank < blankLabels.Count; blank++)
                canonicalLabelBytes[blank] = Encoding.UTF8.GetBytes("_:" + canonical.Label(blank));

            BeginLines();
            for (var index = 0; index < quads.Count; index++)
                WriteLine(quads[index], -1);
            return SortedLines(dropRepeats: true);
        }

        public void Dispose()
        {
            lines.Dispose();
            scratch.Dispose();
        }

        public IReadOnlyDictionary<string, string> IssuedIdentifiers()
        {
            var map = new Dictionary<string, string>(blankLabels.Count, StringComparer.Ordinal);
            foreach (var blank in canonical.Order)
                map.Add(blankLabels[blank], canonical.Label(blank));
            return map;
        }

        private string HashFirstDegreeQuads(int blank)
        {
            BeginLines();
            foreach (var index in quadsOfBlank[blank])
                WriteLine(quads[index], blank);
            return Hash(SortedLines(dropRepeats: false));
        }

        private (string Hash, IdentifierIssuer Issuer) HashNDegreeQuads(int blank, IdentifierIssuer issuer)
        {
            Spend();
            var relatedByHash = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var index in quadsOfBlank[blank])
            {
                var quad = quads[index];
                Relate(quad.SubjectBlank, (byte)'s');
                Relate(quad.ObjectBlank, (byte)'o');
                Relate(quad.GraphBlank, (byte)'g');

                void Relate(int related, byte position)
                {
                    if (related < 0 || related == blank)
                        return;
                    var hash = HashRelatedBlankNode(related, quad, issuer, position);
                    if (!relatedByHash.TryGetValue(hash, out var nodes))
                        relatedByHash.Add(hash, nodes = []);
                    nodes.Add(related);
                }
            }

            var data = new StringBuilder();
            foreach (var (relatedHash, nodes) in relatedByHash)
            {
                data.Append(relatedHash);
                string? chosenPath = null;
                IdentifierIssuer? chosenIssuer = null;
                foreach (var permutation in Permutations(nodes))
                {
                    Spend();
                    var issuerCopy = issuer.Copy();
                    var path = new StringBuilder();
                    var recursionList = new List<int>();
                    var rejected = false;
                    foreach (var related in permutation)
                    {
                        if (canonical.Has(related))
                        {
                            path.Append("_:").Append(canonical.Label(related));
                        }
                        else
                        {
                            if (!issuerCopy.Has(related))
                                recursionList.Add(related);
                            path.Append("_:").Append(issuerCopy.Issue(related));
                        }
                        if (rejected = Worse(path, chosenPath))
                            break;
                    }
                    if (rejected)
                        continue;
                    foreach (var related in recursionList)
                    {
                        var result = HashNDegreeQuads(related, issuerCopy);
                        path.Append("_:").Append(issuerCopy.Issue(related));
                        path.Append('<').Append(result.Hash).Append('>');
                        issuerCopy = result.Issuer;
                        if (rejected = Worse(path, chosenPath))
                            break;
                    }
                    if (rejected)
                        continue;
                    var candidate = path.ToString();
                    if (chosenPath is null || string.CompareOrdinal(candidate, chosenPath) < 0)
                    {
                        chosenPath = candidate;
                        chosenIssuer = issuerCopy;
                    }
                }
                data.Append(chosenPath);
                issuer = chosenIssuer!;
            }
            return (Hash(Encoding.UTF8.GetBytes(data.ToString())), issuer);
        }

        /// <summary>A path already as long as the chosen one and after it cannot become the smallest.</summary>
        private static bool Worse(StringBuilder path, string? chosenPath) =>
            chosenPath is not null && path.Length >= chosenPath.Length && string.CompareOrdinal(path.ToString(), chosenPath) > 0;

        private string HashRelatedBlankNode(int related, in EncodedQuad quad, IdentifierIssuer issuer, byte position)
        {
            scratch.Clear();
            scratch.Append(position);
            if (position != (byte)'g')
                scratch.Append(quad.Predicate);
            if (canonical.Has(related))
                scratch.AppendAscii("_:").AppendAscii(canonical.Label(related));
            else if (issuer.Has(related))
                scratch.AppendAscii("_:").AppendAscii(issuer.Label(related));
            else
                scratch.AppendAscii(firstDegreeHashes[related]);
            return Hash(scratch.Span);
        }

        private void Spend()
        {
            if (++work > options.MaxWork)
                throw new RdfcLimitExceededException(options.MaxWork);
        }

        private void BeginLines()
        {
            lines.Clear();
            lineRanges.Clear();
        }

        /// <summary>Writes a quad as one N-Quads line; with a reference blank node, that node is <c>_:a</c> and every other one <c>_:z</c>.</summary>
        private void WriteLine(in EncodedQuad quad, int reference)
        {
            var start = lines.Length;
            lines.Append(quad.Subject ?? Label(quad.SubjectBlank)).Append((byte)' ');
            lines.Append(quad.Predicate).Append((byte)' ');
            lines.Append(quad.Object ?? Label(quad.ObjectBlank));
            if (quad.HasGraph)
                lines.Append((byte)' ').Append(quad.Graph ?? Label(quad.GraphBlank));
            lines.AppendAscii(" .\n");
            lineRanges.Add((start, lines.Length - start));

            byte[] Label(int blank) => reference >= 0 ? blank == reference ? BlankA : BlankZ : canonicalLabelBytes![blank];
        }

        /// <summary>
        /// The lines written since <see cref="BeginLines"/>, sorted in code point order. Repeats are
        /// dropped only from the output: two quads of a blank node can write the same line with
        /// <c>_:a</c> and <c>_:z</c>, and its first-degree hash counts both.
        /// </summary>
        private ReadOnlySpan<byte> SortedLines(bool dropRepeats)
        {
            var buffer = lines.Buffer;
            CollectionsMarshal.AsSpan(lineRanges).Sort(new LineOrder(buffer));
            scratch.Clear();
            ReadOnlySpan<byte> previous = default;
            foreach (var (start, length) in lineRanges)
            {
                var line = buffer.AsSpan(start, length);
                if (dropRepeats && line.SequenceEqual(previous))
                    continue;
                scratch.Append(line);
                previous = line;
            }
            return scratch.Span;
        }

        private string Hash(ReadOnlySpan<byte> data)
        {
            Span<byte> digest = stackalloc byte[48];
            var length = options.HashAlgorithm == RdfcHashAlgorithm.Sha384
                ? SHA384.HashData(data, digest)
                : SHA256.HashData(data, digest);
            return Convert.ToHexStringLower(digest[..length]);
        }

        /// <summary>Every ordering of <paramref name="nodes"/>, in lexicographic order of their positions.</summary>
        private static IEnumerable<int[]> Permutations(List<int> nodes)
        {
            var positions = new int[nodes.Count];
            for (var i = 0; i < positions.Length; i++)
                positions[i] = i;
            var permutation = new int[nodes.Count];
            while (true)
            {
                for (var i = 0; i < positions.Length; i++)
                    permutation[i] = nodes[positions[i]];
                yield return permutation;
                // The next permutation: find the last ascent, swap in its successor, reverse the tail.
                var pivot = positions.Length - 2;
                while (pivot >= 0 && positions[pivot] >= positions[pivot + 1])
                    pivot--;
                if (pivot < 0)
                    yield break;
                var successor = positions.Length - 1;
                while (positions[successor] <= positions[pivot])
                    successor--;
                (positions[pivot], positions[successor]) = (positions[successor], positions[pivot]);
                Array.Reverse(positions, pivot + 1, positions.Length - pivot - 1);
            }
        }
    }

    /// <summary>A growable byte array, reused across the lines of one canonicalization, from the shared pool and back to it when disposed.</summary>
    private sealed class ByteBuffer(int capacity) : IDisposable
    {
        private byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

        public int Length { get; private set; }

        public byte[] Buffer => buffer;

        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public ByteBuffer Append(byte value)
        {
            Reserve(1);
            buffer[Length++] = value;
            return this;
        }

        public ByteBuffer Append(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(buffer.AsSpan(Length));
            Length += bytes.Length;
            return this;
        }

        public ByteBuffer AppendAscii(string ascii)
        {
            Reserve(ascii.Length);
            for (var i = 0; i < ascii.Length; i++)
                buffer[Length + i] = (byte)ascii[i];
            Length += ascii.Length;
            return this;
        }

        private void Reserve(int extra)
        {
            if (Length + extra <= buffer.Length)
                return;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, Length + extra));
            buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            Length = 0;
        }
    }
}
