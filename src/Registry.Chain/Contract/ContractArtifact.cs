using System.Text.Json;

namespace Registry.Chain.Contract;

/// <summary>The compiled contract (ABI and bytecode) exported from the Hardhat build by scripts/export-contract.js.</summary>
public static class ContractArtifact
{
    private static readonly Lazy<(string Abi, string Bytecode)> Loaded = new(Load);

    public static string Abi => Loaded.Value.Abi;
    public static string Bytecode => Loaded.Value.Bytecode;

    private static (string, string) Load()
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream("CredentialRegistry.json")
            ?? throw new InvalidOperationException("The contract artifact is missing from the assembly.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return (root.GetProperty("abi").GetRawText(), root.GetProperty("bytecode").GetString()!);
    }
}
