using Nethereum.Signer;

namespace Registry.Chain;

/// <summary>
/// The local Hardhat chain. Its accounts come from a published mnemonic, so their keys are public:
/// they are accepted on chain 31337 and refused everywhere else.
/// </summary>
public static class DevelopmentChain
{
    public const long ChainId = 31337;

    /// <summary>Hardhat's account #0, the operator on the local chain unless another key is configured.</summary>
    public const string OperatorKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    // Accounts #0 to #4 of Hardhat's default mnemonic ("test test … junk").
    private static readonly HashSet<string> PublicKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    };

    public static bool IsPublicDevelopmentKey(string privateKey) =>
        PublicKeys.Contains(privateKey.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKey[2..] : privateKey);

    /// <summary>Throws when a publicly known development key would be used on a real chain.</summary>
    public static void RefusePublicKeyOffLocalChain(string privateKey, long chainId)
    {
        if (chainId != ChainId && IsPublicDevelopmentKey(privateKey))
            throw new InvalidOperationException(
                $"Refusing a publicly known Hardhat development key on chain {chainId}: anyone can spend from it. Use a key of your own.");
    }

    /// <summary>Checks that <paramref name="privateKey"/> is a 32-byte hex key and returns its address in lowercase.</summary>
    public static string AddressOf(string privateKey)
    {
        var hex = privateKey.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKey[2..] : privateKey;
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new FormatException("A private key must be 32 bytes of hex (64 hex digits, 0x optional).");
        return new EthECKey(hex).GetPublicAddress().ToLowerInvariant();
    }
}
