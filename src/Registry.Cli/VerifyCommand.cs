using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Credentials;
using Registry.Verification;
using Registry.Verification.Rpc;
using Registry.Web;
using Spectre.Console;

namespace Registry.Cli;

/// <summary><c>registry verify FILE</c>: the verification pipeline, reading only the chain.</summary>
public static class VerifyCommand
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The portable credential (JSON) to verify." };
        var rpc = ChainArguments.RpcOption();
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

        List<TrustedRegistry> trusted;
        try
        {
            trusted = [.. TrustedRegistry.ParseSetting(Environment.GetEnvironmentVariable("REGISTRY_TRUSTED"))];
        }
        catch (FormatException e)
        {
            return ExitCodes.Usage($"REGISTRY_TRUSTED: {e.Message}");
        }
        // Last, so that the command line wins over REGISTRY_TRUSTED where both name the contract.
        if (chain.Contract is not null) trusted.Add(new TrustedRegistry(null, chain.Contract, chain.RpcUrl));

        byte[] bytes;
        try
        {
            if (file.Exists && file.Length > PortableCredential.MaxBytes)
                return ExitCodes.Usage($"{file.Name} is larger than {PortableCredential.MaxBytes:N0} bytes; it is not a credential.");
            bytes = await File.ReadAllBytesAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ExitCodes.Usage($"Cannot read {file.FullName}: {e.Message}");
        }

        var report = await new CredentialVerifier(new TrustedRegistries(Http, trusted)).VerifyAsync(bytes, ct);
        if (asJson) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else Print(file.Name, report);
        switch (report.Outcome)
        {
            case VerificationOutcome.Verified:
                return ExitCodes.Verified;
            case VerificationOutcome.CouldNotCheck:
                // Not a verdict: say which node failed and how to name another.
                Console.Error.WriteLine(
                    $"Could not check {file.Name}: {report.FirstFailure!.Message} This is no verdict on the credential. " +
                    $"Point the command at a working node of the credential's chain with --rpc URL or REGISTRY_RPC_URL " +
                    $"(now {HttpUrl.Origin(chain.RpcUrl)}), or for another registry with REGISTRY_TRUSTED.");
                return ExitCodes.CouldNotCheck;
            default:
                return ExitCodes.NotVerified;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
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
                CheckStatus.CouldNotCheck => "[yellow]could not check[/]",
                _ => "[grey]skipped[/]",
            };
            table.AddRow(new Markup(check.Name), new Markup(mark), new Text(check.Message));
        }
        AnsiConsole.Write(table);
        var failed = report.FirstFailure;
        AnsiConsole.MarkupLine(report.Outcome switch
        {
            VerificationOutcome.Verified =>
                $"[green bold]VERIFIED[/] {Markup.Escape(name)}: issued by {Markup.Escape(report.Issuer ?? "?")}, anchored {report.AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}",
            VerificationOutcome.CouldNotCheck =>
                $"[yellow bold]COULD NOT CHECK[/] {Markup.Escape(name)}: the blockchain could not be read at '{Markup.Escape(failed!.Name)}'",
            _ => $"[red bold]NOT VERIFIED[/] {Markup.Escape(name)}: failed at '{Markup.Escape(failed!.Name)}': " +
                Markup.Escape(CredentialVerifier.Check(failed.Name).Failure),
        });
    }
}
