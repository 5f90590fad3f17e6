using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Registry.Hashing;

/// <summary>
/// Keccak-256 as Ethereum uses it: the original Keccak submission's padding (0x01 … 0x80), not the
/// NIST SHA3-256 padding (0x06 … 0x80), so the two give different hashes for the same input.
/// </summary>
/// <remarks>
/// The permutation keeps the 25 lanes in locals and runs two rounds per loop pass, so a hash
/// allocates nothing and shares no state: every method is safe to call from any thread. For
/// Merkle trees, which hash many independent 32- and 64-byte inputs, the internal batch methods
/// run four permutations side by side in 256-bit vectors when the CPU has them.
/// </remarks>
public static class Keccak256
{
    /// <summary>Bytes absorbed per permutation: the 1600-bit state less the 512-bit capacity.</summary>
    public const int RateBytes = 136;

    public const int HashBytes = 32;

    private const int StateLanes = 25;
    private const int RateLanes = RateBytes / 8;

    // The padding bits: 0x01 right after the message, 0x80 in the last byte of the block.
    private const ulong PadStart = 0x01;
    private const ulong PadEnd = 0x8000000000000000;

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    public static Bytes32 Hash(ReadOnlySpan<byte> input)
    {
        Span<ulong> state = stackalloc ulong[StateLanes];
        Absorb(state, input);
        return Squeeze(state);
    }

    /// <summary>
    /// keccak256 of <paramref name="first"/> ‖ <paramref name="second"/>, read where they are: a salt and a document are
    /// hashed without first being copied together into a zeroed buffer.
    /// </summary>
    public static Bytes32 HashConcatenated(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Span<ulong> state = stackalloc ulong[StateLanes];
        first = AbsorbBlocks(state, first);
        if (!first.IsEmpty)
        {
            // The block that ends the first part begins the second, unless both end within it.
            Span<byte> joined = stackalloc byte[RateBytes];
            var taken = Math.Min(RateBytes - first.Length, second.Length);
            first.CopyTo(joined);
            second[..taken].CopyTo(joined[first.Length..]);
            second = second[taken..];
            if (first.Length + taken < RateBytes)
            {
                AbsorbLast(state, joined[..(first.Length + taken)]);
                return Squeeze(state);
            }
            XorBlock(state, joined);
            Permute(state);
        }
        Absorb(state, second);
        return Squeeze(state);
    }

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < HashBytes)
        {
            throw new ArgumentException($"The output needs {HashBytes} bytes, it has {output.Length}.", nameof(output));
        }

        Span<ulong> state = stackalloc ulong[StateLanes];
        Absorb(state, input);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output[(8 * i)..], state[i]);
        }
    }

    /// <summary>keccak256 of the 32 bytes of <paramref name="value"/>.</summary>
    public static Bytes32 Hash(in Bytes32 value)
    {
        Span<ulong> state = stackalloc ulong[StateLanes];
        state[0] = Lane(value.Word0);
        state[1] = Lane(value.Word1);
        state[2] = Lane(value.Word2);
        state[3] = Lane(value.Word3);
        state[4] = PadStart;
        state[RateLanes - 1] = PadEnd;
        Permute(state);
        return Squeeze(state);
    }

    /// <summary>keccak256 of the 64 bytes <paramref name="left"/> ‖ <paramref name="right"/>.</summary>
    public static Bytes32 HashPair(in Bytes32 left, in Bytes32 right)
    {
        Span<ulong> state = stackalloc ulong[StateLanes];
        state[0] = Lane(left.Word0);
        state[1] = Lane(left.Word1);
        state[2] = Lane(left.Word2);
        state[3] = Lane(left.Word3);
        state[4] = Lane(right.Word0);
        state[5] = Lane(right.Word1);
        state[6] = Lane(right.Word2);
        state[7] = Lane(right.Word3);
        state[8] = PadStart;
        state[RateLanes - 1] = PadEnd;
        Permute(state);
        return Squeeze(state);
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> input) => AbsorbLast(state, AbsorbBlocks(state, input));

    /// <summary>Absorbs the whole blocks at the start of <paramref name="input"/>; returns the rest, shorter than a block.</summary>
    private static ReadOnlySpan<byte> AbsorbBlocks(scoped Span<ulong> state, ReadOnlySpan<byte> input)
    {
        while (input.Length >= RateBytes)
        {
            XorBlock(state, input);
            Permute(state);
            input = input[RateBytes..];
        }

        return input;
    }

    /// <summary>Absorbs the message's last bytes, fewer than a block, with the padding.</summary>
    private static void AbsorbLast(Span<ulong> state, ReadOnlySpan<byte> input)
    {
        Span<byte> last = stackalloc byte[RateBytes];
        input.CopyTo(last);
        last[input.Length] = (byte)PadStart;
        last[RateBytes - 1] |= 0x80;
        XorBlock(state, last);
        Permute(state);
    }

    private static void XorBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < RateLanes; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
        }
    }

    // The first four lanes are the hash.
    private static Bytes32 Squeeze(ReadOnlySpan<ulong> state) => new(
        Lane(state[0]),
        Lane(state[1]),
        Lane(state[2]),
        Lane(state[3]));

    /// <summary>
    /// Keccak-f[1600]. Lane (x, y) is state[x + 5y]. Each pass of the loop runs two rounds, the
    /// first from the a-lanes into the e-lanes and the second back; theta, rho, pi, chi and iota
    /// are written out lane by lane.
    /// </summary>
    private static void Permute(Span<ulong> state)
    {
        if (state.Length != StateLanes)
        {
            throw new ArgumentException("The Keccak state has 25 lanes.", nameof(state));
        }

        ulong a0 = state[0], a1 = state[1], a2 = state[2], a3 = state[3], a4 = state[4], a5 = state[5], a6 = state[6], a7 = state[7], a8 = state[8], a9 = state[9], a10 = state[10], a11 = state[11], a12 = state[12], a13 = state[13], a14 = state[14], a15 = state[15], a16 = state[16], a17 = state[17], a18 = state[18], a19 = state[19], a20 = state[20], a21 = state[21], a22 = state[22], a23 = state[23], a24 = state[24];
        ulong e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
        ulong c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        var roundConstants = RoundConstants;

        for (var round = 0; round < 24; round += 2)
        {
            c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = a0 ^ d0;
            b1 = BitOperations.RotateLeft(a6 ^ d1, 44);
            b2 = BitOperations.RotateLeft(a12 ^ d2, 43);
            b3 = BitOperations.RotateLeft(a18 ^ d3, 21);
            b4 = BitOperations.RotateLeft(a24 ^ d4, 14);
            e0 = b0 ^ (~b1 & b2) ^ roundConstants[round];
            e1 = b1 ^ (~b2 & b3);
            e2 = b2 ^ (~b3 & b4);
            e3 = b3 ^ (~b4 & b0);
            e4 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a3 ^ d3, 28);
            b1 = BitOperations.RotateLeft(a9 ^ d4, 20);
            b2 = BitOperations.RotateLeft(a10 ^ d0, 3);
            b3 = BitOperations.RotateLeft(a16 ^ d1, 45);
            b4 = BitOperations.RotateLeft(a22 ^ d2, 61);
            e5 = b0 ^ (~b1 & b2);
            e6 = b1 ^ (~b2 & b3);
            e7 = b2 ^ (~b3 & b4);
            e8 = b3 ^ (~b4 & b0);
            e9 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a1 ^ d1, 1);
            b1 = BitOperations.RotateLeft(a7 ^ d2, 6);
            b2 = BitOperations.RotateLeft(a13 ^ d3, 25);
            b3 = BitOperations.RotateLeft(a19 ^ d4, 8);
            b4 = BitOperations.RotateLeft(a20 ^ d0, 18);
            e10 = b0 ^ (~b1 & b2);
            e11 = b1 ^ (~b2 & b3);
            e12 = b2 ^ (~b3 & b4);
            e13 = b3 ^ (~b4 & b0);
            e14 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a4 ^ d4, 27);
            b1 = BitOperations.RotateLeft(a5 ^ d0, 36);
            b2 = BitOperations.RotateLeft(a11 ^ d1, 10);
            b3 = BitOperations.RotateLeft(a17 ^ d2, 15);
            b4 = BitOperations.RotateLeft(a23 ^ d3, 56);
            e15 = b0 ^ (~b1 & b2);
            e16 = b1 ^ (~b2 & b3);
            e17 = b2 ^ (~b3 & b4);
            e18 = b3 ^ (~b4 & b0);
            e19 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a2 ^ d2, 62);
            b1 = BitOperations.RotateLeft(a8 ^ d3, 55);
            b2 = BitOperations.RotateLeft(a14 ^ d4, 39);
            b3 = BitOperations.RotateLeft(a15 ^ d0, 41);
            b4 = BitOperations.RotateLeft(a21 ^ d1, 2);
            e20 = b0 ^ (~b1 & b2);
            e21 = b1 ^ (~b2 & b3);
            e22 = b2 ^ (~b3 & b4);
            e23 = b3 ^ (~b4 & b0);
            e24 = b4 ^ (~b0 & b1);

            c0 = e0 ^ e5 ^ e10 ^ e15 ^ e20;
            c1 = e1 ^ e6 ^ e11 ^ e16 ^ e21;
            c2 = e2 ^ e7 ^ e12 ^ e17 ^ e22;
            c3 = e3 ^ e8 ^ e13 ^ e18 ^ e23;
            c4 = e4 ^ e9 ^ e14 ^ e19 ^ e24;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = e0 ^ d0;
            b1 = BitOperations.RotateLeft(e6 ^ d1, 44);
            b2 = BitOperations.RotateLeft(e12 ^ d2, 43);
            b3 = BitOperations.RotateLeft(e18 ^ d3, 21);
            b4 = BitOperations.RotateLeft(e24 ^ d4, 14);
            a0 = b0 ^ (~b1 & b2) ^ roundConstants[round + 1];
            a1 = b1 ^ (~b2 & b3);
            a2 = b2 ^ (~b3 & b4);
            a3 = b3 ^ (~b4 & b0);
            a4 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e3 ^ d3, 28);
            b1 = BitOperations.RotateLeft(e9 ^ d4, 20);
            b2 = BitOperations.RotateLeft(e10 ^ d0, 3);
            b3 = BitOperations.RotateLeft(e16 ^ d1, 45);
            b4 = BitOperations.RotateLeft(e22 ^ d2, 61);
            a5 = b0 ^ (~b1 & b2);
            a6 = b1 ^ (~b2 & b3);
            a7 = b2 ^ (~b3 & b4);
            a8 = b3 ^ (~b4 & b0);
            a9 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e1 ^ d1, 1);
            b1 = BitOperations.RotateLeft(e7 ^ d2, 6);
            b2 = BitOperations.RotateLeft(e13 ^ d3, 25);
            b3 = BitOperations.RotateLeft(e19 ^ d4, 8);
            b4 = BitOperations.RotateLeft(e20 ^ d0, 18);
            a10 = b0 ^ (~b1 & b2);
            a11 = b1 ^ (~b2 & b3);
            a12 = b2 ^ (~b3 & b4);
            a13 = b3 ^ (~b4 & b0);
            a14 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e4 ^ d4, 27);
            b1 = BitOperations.RotateLeft(e5 ^ d0, 36);
            b2 = BitOperations.RotateLeft(e11 ^ d1, 10);
            b3 = BitOperations.RotateLeft(e17 ^ d2, 15);
            b4 = BitOperations.RotateLeft(e23 ^ d3, 56);
            a15 = b0 ^ (~b1 & b2);
            a16 = b1 ^ (~b2 & b3);
            a17 = b2 ^ (~b3 & b4);
            a18 = b3 ^ (~b4 & b0);
            a19 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e2 ^ d2, 62);
            b1 = BitOperations.RotateLeft(e8 ^ d3, 55);
            b2 = BitOperations.RotateLeft(e14 ^ d4, 39);
            b3 = BitOperations.RotateLeft(e15 ^ d0, 41);
            b4 = BitOperations.RotateLeft(e21 ^ d1, 2);
            a20 = b0 ^ (~b1 & b2);
            a21 = b1 ^ (~b2 & b3);
            a22 = b2 ^ (~b3 & b4);
            a23 = b3 ^ (~b4 & b0);
            a24 = b4 ^ (~b0 & b1);
        }

        state[0] = a0;
        state[1] = a1;
        state[2] = a2;
        state[3] = a3;
        state[4] = a4;
        state[5] = a5;
        state[6] = a6;
        state[7] = a7;
        state[8] = a8;
        state[9] = a9;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }

    /// <summary>
    /// output[i] = keccak256(values[i]) for 32-byte values; <paramref name="output"/> may be
    /// <paramref name="values"/> itself. Hashes four values at once where the CPU has 256-bit vectors.
    /// </summary>
    internal static void HashEach(ReadOnlySpan<Bytes32> values, Span<Bytes32> output)
    {
        if (output.Length < values.Length)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(output));
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[StateLanes];
            for (; i + 4 <= values.Length; i += 4)
            {
                state.Clear();
                LoadLanes(state, 0, values.Slice(i, 4));
                state[4] = Vector256.Create(PadStart);
                state[RateLanes - 1] = Vector256.Create(PadEnd);
                Permute(state);
                StoreHashes(state, output.Slice(i, 4));
            }
        }

        for (; i < values.Length; i++)
        {
            output[i] = Hash(values[i]);
        }
    }

    /// <summary>
    /// output[i] = keccak256(pairs[2i] ‖ pairs[2i + 1]), with the smaller of the two first when
    /// <paramref name="smallerFirst"/> is set. Hashes four pairs at once where the CPU has 256-bit vectors.
    /// </summary>
    internal static void HashPairs(ReadOnlySpan<Bytes32> pairs, Span<Bytes32> output, bool smallerFirst)
    {
        var count = pairs.Length / 2;
        if (pairs.Length % 2 != 0 || output.Length < count)
        {
            throw new ArgumentException("Pairs come in twos, with one output for each.", nameof(pairs));
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[StateLanes];
            Span<Bytes32> lefts = stackalloc Bytes32[4];
            Span<Bytes32> rights = stackalloc Bytes32[4];
            for (; i + 4 <= count; i += 4)
            {
                for (var j = 0; j < 4; j++)
                {
                    var (left, right) = (pairs[2 * (i + j)], pairs[2 * (i + j) + 1]);
                    if (smallerFirst && left > right)
                    {
                        (left, right) = (right, left);
                    }

                    lefts[j] = left;
                    rights[j] = right;
                }

                state.Clear();
                LoadLanes(state, 0, lefts);
                LoadLanes(state, 4, rights);
                state[8] = Vector256.Create(PadStart);
                state[RateLanes - 1] = Vector256.Create(PadEnd);
                Permute(state);
                StoreHashes(state, output.Slice(i, 4));
            }
        }

        for (; i < count; i++)
        {
            var (left, right) = (pairs[2 * i], pairs[2 * i + 1]);
            output[i] = smallerFirst && left > right ? HashPair(right, left) : HashPair(left, right);
        }
    }

    // Element j of each vector belongs to the j-th of four values or hashes.
    private static void LoadLanes(Span<Vector256<ulong>> state, int firstLane, ReadOnlySpan<Bytes32> values)
    {
        state[firstLane] = Vector256.Create(Lane(values[0].Word0), Lane(values[1].Word0), Lane(values[2].Word0), Lane(values[3].Word0));
        state[firstLane + 1] = Vector256.Create(Lane(values[0].Word1), Lane(values[1].Word1), Lane(values[2].Word1), Lane(values[3].Word1));
        state[firstLane + 2] = Vector256.Create(Lane(values[0].Word2), Lane(values[1].Word2), Lane(values[2].Word2), Lane(values[3].Word2));
        state[firstLane + 3] = Vector256.Create(Lane(values[0].Word3), Lane(values[1].Word3), Lane(values[2].Word3), Lane(values[3].Word3));
    }

    private static void StoreHashes(ReadOnlySpan<Vector256<ulong>> state, Span<Bytes32> output)
    {
        var (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
        output[0] = new Bytes32(Lane(s0.GetElement(0)), Lane(s1.GetElement(0)), Lane(s2.GetElement(0)), Lane(s3.GetElement(0)));
        output[1] = new Bytes32(Lane(s0.GetElement(1)), Lane(s1.GetElement(1)), Lane(s2.GetElement(1)), Lane(s3.GetElement(1)));
        output[2] = new Bytes32(Lane(s0.GetElement(2)), Lane(s1.GetElement(2)), Lane(s2.GetElement(2)), Lane(s3.GetElement(2)));
        output[3] = new Bytes32(Lane(s0.GetElement(3)), Lane(s1.GetElement(3)), Lane(s2.GetElement(3)), Lane(s3.GetElement(3)));
    }

    // Lanes are little-endian and Bytes32 words big-endian: a word reversed is a lane, and back.
    private static ulong Lane(ulong word) => BinaryPrimitives.ReverseEndianness(word);

    /// <summary>Keccak-f[1600] on four states at once, element j of every lane being state j.</summary>
    private static void Permute(Span<Vector256<ulong>> state)
    {
        if (state.Length != StateLanes)
        {
            throw new ArgumentException("The Keccak state has 25 lanes.", nameof(state));
        }

        Vector256<ulong> a0 = state[0], a1 = state[1], a2 = state[2], a3 = state[3], a4 = state[4], a5 = state[5], a6 = state[6], a7 = state[7], a8 = state[8], a9 = state[9], a10 = state[10], a11 = state[11], a12 = state[12], a13 = state[13], a14 = state[14], a15 = state[15], a16 = state[16], a17 = state[17], a18 = state[18], a19 = state[19], a20 = state[20], a21 = state[21], a22 = state[22], a23 = state[23], a24 = state[24];
        Vector256<ulong> e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
        Vector256<ulong> c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        var roundConstants = RoundConstants;

        for (var round = 0; round < 24; round += 2)
        {
            c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            d0 = c4 ^ RotateLeft(c1, 1);
            d1 = c0 ^ RotateLeft(c2, 1);
            d2 = c1 ^ RotateLeft(c3, 1);
            d3 = c2 ^ RotateLeft(c4, 1);
            d4 = c3 ^ RotateLeft(c0, 1);
            b0 = a0 ^ d0;
            b1 = RotateLeft(a6 ^ d1, 44);
            b2 = RotateLeft(a12 ^ d2, 43);
            b3 = RotateLeft(a18 ^ d3, 21);
            b4 = RotateLeft(a24 ^ d4, 14);
            e0 = b0 ^ Vector256.AndNot(b2, b1) ^ Vector256.Create(roundConstants[round]);
            e1 = b1 ^ Vector256.AndNot(b3, b2);
            e2 = b2 ^ Vector256.AndNot(b4, b3);
            e3 = b3 ^ Vector256.AndNot(b0, b4);
            e4 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(a3 ^ d3, 28);
            b1 = RotateLeft(a9 ^ d4, 20);
            b2 = RotateLeft(a10 ^ d0, 3);
            b3 = RotateLeft(a16 ^ d1, 45);
            b4 = RotateLeft(a22 ^ d2, 61);
            e5 = b0 ^ Vector256.AndNot(b2, b1);
            e6 = b1 ^ Vector256.AndNot(b3, b2);
            e7 = b2 ^ Vector256.AndNot(b4, b3);
            e8 = b3 ^ Vector256.AndNot(b0, b4);
            e9 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(a1 ^ d1, 1);
            b1 = RotateLeft(a7 ^ d2, 6);
            b2 = RotateLeft(a13 ^ d3, 25);
            b3 = RotateLeft(a19 ^ d4, 8);
            b4 = RotateLeft(a20 ^ d0, 18);
            e10 = b0 ^ Vector256.AndNot(b2, b1);
            e11 = b1 ^ Vector256.AndNot(b3, b2);
            e12 = b2 ^ Vector256.AndNot(b4, b3);
            e13 = b3 ^ Vector256.AndNot(b0, b4);
            e14 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(a4 ^ d4, 27);
            b1 = RotateLeft(a5 ^ d0, 36);
            b2 = RotateLeft(a11 ^ d1, 10);
            b3 = RotateLeft(a17 ^ d2, 15);
            b4 = RotateLeft(a23 ^ d3, 56);
            e15 = b0 ^ Vector256.AndNot(b2, b1);
            e16 = b1 ^ Vector256.AndNot(b3, b2);
            e17 = b2 ^ Vector256.AndNot(b4, b3);
            e18 = b3 ^ Vector256.AndNot(b0, b4);
            e19 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(a2 ^ d2, 62);
            b1 = RotateLeft(a8 ^ d3, 55);
            b2 = RotateLeft(a14 ^ d4, 39);
            b3 = RotateLeft(a15 ^ d0, 41);
            b4 = RotateLeft(a21 ^ d1, 2);
            e20 = b0 ^ Vector256.AndNot(b2, b1);
            e21 = b1 ^ Vector256.AndNot(b3, b2);
            e22 = b2 ^ Vector256.AndNot(b4, b3);
            e23 = b3 ^ Vector256.AndNot(b0, b4);
            e24 = b4 ^ Vector256.AndNot(b1, b0);

            c0 = e0 ^ e5 ^ e10 ^ e15 ^ e20;
            c1 = e1 ^ e6 ^ e11 ^ e16 ^ e21;
            c2 = e2 ^ e7 ^ e12 ^ e17 ^ e22;
            c3 = e3 ^ e8 ^ e13 ^ e18 ^ e23;
            c4 = e4 ^ e9 ^ e14 ^ e19 ^ e24;
            d0 = c4 ^ RotateLeft(c1, 1);
            d1 = c0 ^ RotateLeft(c2, 1);
            d2 = c1 ^ RotateLeft(c3, 1);
            d3 = c2 ^ RotateLeft(c4, 1);
            d4 = c3 ^ RotateLeft(c0, 1);
            b0 = e0 ^ d0;
            b1 = RotateLeft(e6 ^ d1, 44);
            b2 = RotateLeft(e12 ^ d2, 43);
            b3 = RotateLeft(e18 ^ d3, 21);
            b4 = RotateLeft(e24 ^ d4, 14);
            a0 = b0 ^ Vector256.AndNot(b2, b1) ^ Vector256.Create(roundConstants[round + 1]);
            a1 = b1 ^ Vector256.AndNot(b3, b2);
            a2 = b2 ^ Vector256.AndNot(b4, b3);
            a3 = b3 ^ Vector256.AndNot(b0, b4);
            a4 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(e3 ^ d3, 28);
            b1 = RotateLeft(e9 ^ d4, 20);
            b2 = RotateLeft(e10 ^ d0, 3);
            b3 = RotateLeft(e16 ^ d1, 45);
            b4 = RotateLeft(e22 ^ d2, 61);
            a5 = b0 ^ Vector256.AndNot(b2, b1);
            a6 = b1 ^ Vector256.AndNot(b3, b2);
            a7 = b2 ^ Vector256.AndNot(b4, b3);
            a8 = b3 ^ Vector256.AndNot(b0, b4);
            a9 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(e1 ^ d1, 1);
            b1 = RotateLeft(e7 ^ d2, 6);
            b2 = RotateLeft(e13 ^ d3, 25);
            b3 = RotateLeft(e19 ^ d4, 8);
            b4 = RotateLeft(e20 ^ d0, 18);
            a10 = b0 ^ Vector256.AndNot(b2, b1);
            a11 = b1 ^ Vector256.AndNot(b3, b2);
            a12 = b2 ^ Vector256.AndNot(b4, b3);
            a13 = b3 ^ Vector256.AndNot(b0, b4);
            a14 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(e4 ^ d4, 27);
            b1 = RotateLeft(e5 ^ d0, 36);
            b2 = RotateLeft(e11 ^ d1, 10);
            b3 = RotateLeft(e17 ^ d2, 15);
            b4 = RotateLeft(e23 ^ d3, 56);
            a15 = b0 ^ Vector256.AndNot(b2, b1);
            a16 = b1 ^ Vector256.AndNot(b3, b2);
            a17 = b2 ^ Vector256.AndNot(b4, b3);
            a18 = b3 ^ Vector256.AndNot(b0, b4);
            a19 = b4 ^ Vector256.AndNot(b1, b0);
            b0 = RotateLeft(e2 ^ d2, 62);
            b1 = RotateLeft(e8 ^ d3, 55);
            b2 = RotateLeft(e14 ^ d4, 39);
            b3 = RotateLeft(e15 ^ d0, 41);
            b4 = RotateLeft(e21 ^ d1, 2);
            a20 = b0 ^ Vector256.AndNot(b2, b1);
            a21 = b1 ^ Vector256.AndNot(b3, b2);
            a22 = b2 ^ Vector256.AndNot(b4, b3);
            a23 = b3 ^ Vector256.AndNot(b0, b4);
            a24 = b4 ^ Vector256.AndNot(b1, b0);
        }

        state[0] = a0;
        state[1] = a1;
        state[2] = a2;
        state[3] = a3;
        state[4] = a4;
        state[5] = a5;
        state[6] = a6;
        state[7] = a7;
        state[8] = a8;
        state[9] = a9;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateLeft(Vector256<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 64 - count);
}
