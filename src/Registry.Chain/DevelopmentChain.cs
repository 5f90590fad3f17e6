using Nethereum.Signer;

namespace Registry.Chain;

/// <summary>
/// The local Hardhat chain. Its accounts come from a published mnemonic, so their keys are public:
/// they are accepted on chain 31337 and refused everywhere else, Anvil's as well as Hardhat's.
/// </summary>
public static class DevelopmentChain
{
    public const long ChainId = 31337;

    /// <summary>Hardhat's account #0, the operator on the local chain unless another key is configured.</summary>
    public const string OperatorKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>The well-known mnemonic behind the development accounts of Hardhat (twenty) and Anvil (the first ten).</summary>
    public const string Mnemonic = "test test test test test test test test test test test junk";

    /// <summary>
    /// The private keys of accounts m/44'/60'/0'/0/0 to …/19 of <see cref="Mnemonic"/>, in order. A test
    /// compares their addresses with a Hardhat node's accounts, so the list cannot drift.
    /// </summary>
    public static IReadOnlyList<string> AccountKeys { get; } =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
        "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
        "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
        "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
        "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
        "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
        "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
        "0xa267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1",
        "0x47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd",
        "0xc526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa",
        "0x8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61",
        "0xea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0",
        "0x689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd",
        "0xde9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0",
        "0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e",
    ];

    private static readonly HashSet<string> PublicKeys = new(AccountKeys.Select(key => key[2..]), StringComparer.OrdinalIgnoreCase);

    public static bool IsPublicDevelopmentKey(string privateKey) =>
        PublicKeys.Contains(privateKey.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKey[2..] : privateKey);

    /// <summary>Throws, naming the account, when a publicly known development key would be used on a real chain.</summary>
    public static void RefusePublicKeyOffLocalChain(string privateKey, long chainId)
    {
        if (chainId != ChainId && IsPublicDevelopmentKey(privateKey))
            throw new InvalidOperationException(
                $"Refusing account {AddressOf(privateKey)} on chain {chainId}: its key is a publicly known Hardhat/Anvil development key, " +
                $"so anyone can spend from it and sign as it. Use a key of your own; the development keys are accepted only on the local chain ({ChainId}).");
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
