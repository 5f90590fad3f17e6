using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Chain;
using Registry.Verification;
using Spectre.Console;

namespace Registry.Cli;

/// <summary><c>registry verify FILE</c>: the verification pipeline, reading only the chain.</summary>
public static class VerifyCommand
{
    public const long MaxFileBytes = 4 << 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The portable credential (JSON) to verify." };
        var rpc = new Option<string?>("--rpc") { Description = "Ethereum JSON-RPC URL (default: REGISTRY_RPC_URL or http://127.0.0.1:8545)." };
        var registry = new Option<string?>("--registry") { Description = "The CredentialRegistry contract to trust (default: REGISTRY_CONTRACT)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("verify", "Verify a portable credential against the chain; no registry server is needed.") { file, rpc, registry, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(rpc), parse.GetValue(registry), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, string? rpc, string? registry, bool asJson, CancellationToken ct)
    {
        var (chain, problem) = ChainArguments.Resolve(rpc, registry);
        if (chain is null) return ExitCodes.Usage(problem!);

        var trust = new RpcTrustedRegistries();
        if (chain.Registry is not null) trust.Add(null, chain.Registry, chain.RpcUrl);
        try
        {
            foreach (var entry in TrustedRegistrySetting.ParseList(Environment.GetEnvironmentVariable("REGISTRY_TRUSTED")))
                trust.Add(entry.ChainId, entry.Contract, entry.RpcUrl);
        }
        catch (FormatException e)
        {
            return ExitCodes.Usage($"REGISTRY_TRUSTED: {e.Message}");
        }

        byte[] bytes;
        try
        {
            if (file.Exists && file.Length > MaxFileBytes) return ExitCodes.Usage($"{file.Name} is larger than {MaxFileBytes:N0} bytes; it is not a credential.");
            bytes = await File.ReadAllBytesAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ExitCodes.Usage($"Cannot read {file.FullName}: {e.Message}");
        }

        var report = await new CredentialVerifier(trust).VerifyAsync(bytes, ct);
        if (asJson) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else Print(file.Name, report);
        return report.Verified ? ExitCodes.Verified : ExitCodes.NotVerified;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static void Print(string name, VerificationReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("check").AddColumn("").AddColumn("message");
        foreach (var check in report.Checks)
        {
            var mark = check.Status switch
            {
                CheckStatus.Passed => "[green]passed[/]",
                CheckStatus.Failed => "[red]failed[/]",
                _ => "[grey]skipped[/]",
            };
            table.AddRow(new Markup(check.Name), new Markup(mark), new Text(check.Message));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(report.Verified
            ? $"[green bold]VERIFIED[/] {Markup.Escape(name)}: issued by {Markup.Escape(report.Issuer ?? "?")}, anchored {report.AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}"
            : $"[red bold]NOT VERIFIED[/] {Markup.Escape(name)}: failed at '{Markup.Escape(report.FirstFailure?.Name ?? "?")}'");
    }
}
