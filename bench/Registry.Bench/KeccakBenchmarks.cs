using BenchmarkDotNet.Attributes;
using Nethereum.Util;
using Org.BouncyCastle.Crypto.Digests;
using Registry.Hashing;

namespace Registry.Bench;

/// <summary>keccak256 of 64 bytes (one Merkle inner node), on one core.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _input = new byte[64];
    private readonly byte[] _output = new byte[32];
    private readonly KeccakDigest _bouncyCastle = new(256);
    private readonly Sha3Keccack _nethereum = new();
    private Bytes32 _left;
    private Bytes32 _right;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_input);
        _left = Bytes32.FromSpan(_input.AsSpan(0, 32));
        _right = Bytes32.FromSpan(_input.AsSpan(32));
    }

    [Benchmark(Baseline = true, Description = "Keccak256.HashPair (two Bytes32)")]
    public Bytes32 OursPair() => Keccak256.HashPair(_left, _right);

    [Benchmark(Description = "Keccak256.Hash (64-byte span)")]
    public Bytes32 OursSpan() => Keccak256.Hash(_input);

    [Benchmark(Description = "BouncyCastle KeccakDigest, reused")]
    public byte[] BouncyCastle()
    {
        _bouncyCastle.BlockUpdate(_input, 0, _input.Length);
        _bouncyCastle.DoFinal(_output, 0);
        return _output;
    }

    [Benchmark(Description = "Nethereum Sha3Keccack")]
    public byte[] Nethereum() => _nethereum.CalculateHash(_input);
}
