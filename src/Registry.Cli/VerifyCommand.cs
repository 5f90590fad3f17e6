using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Baking;
using Registry.Credentials;
using Registry.Portfolio;
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
        var file = new Argument<FileInfo>("file") { Description = "The portable credential (JSON), portfolio (a presentation, JSON) or baked badge (PNG or SVG) to verify." };
        var rpc = ChainArguments.RpcOption();
        var registry = new Option<string?>("--registry") { Description = "The CredentialRegistry contract to trust (default: REGISTRY_CONTRACT)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("verify", "Verify a portable credential, a portfolio or a baked badge against the chain; no registry server is needed.") { file, rpc, registry, json };
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

        var (bytes, unreadable) = await ReadDocumentAsync(file, ct);
        if (bytes is null) return ExitCodes.Usage(unreadable!);

        var verifier = new PortfolioVerifier(new CredentialVerifier(new TrustedRegistries(Http, trusted)));
        var (outcome, reason) = await verifier.VerifyAsync(bytes, ct) switch
        {
            DocumentVerdict.Credential single => Show(file.Name, single.Report, asJson),
            DocumentVerdict.Portfolio portfolio => Show(file.Name, portfolio.Report, asJson),
            DocumentVerdict.Refused refused => (default(VerificationOutcome?), refused.Reason),
            _ => throw new InvalidOperationException("A verdict of no known kind."),
        };
        switch (outcome)
        {
            case null:
                return ExitCodes.Usage($"{file.Name} is refused: {reason}");
            case VerificationOutcome.Verified:
                return ExitCodes.Verified;
            case VerificationOutcome.CouldNotCheck:
                // Not a verdict: say which node failed and how to name another.
                Console.Error.WriteLine(
                    $"Could not check {file.Name}: {reason} This is no verdict. " +
                    $"Point the command at a working node of the credential's chain with --rpc URL or REGISTRY_RPC_URL " +
                    $"(now {HttpUrl.Origin(chain.RpcUrl)}), or for another registry with REGISTRY_TRUSTED.");
                return ExitCodes.CouldNotCheck;
            default:
                return ExitCodes.NotVerified;
        }
    }

    /// <summary>
    /// A file's JSON to verify: the file itself, or the credential baked into a PNG or SVG badge. Null with the
    /// reason for a file that cannot be read, is too large, or is an image without exactly one credential.
    /// </summary>
    public static async Task<(byte[]? Json, string? Problem)> ReadDocumentAsync(FileInfo file, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            if (file.Exists && file.Length > PortableCredential.MaxBytes)
                return (null, $"{file.Name} is larger than {PortableCredential.MaxBytes:N0} bytes, the most a verifier reads.");
            bytes = await File.ReadAllBytesAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read {file.FullName}: {e.Message}");
        }
        if (BakedImage.Sniff(bytes) is not { } format) return (bytes, null);
        var baked = BakedImage.Extract(format, bytes);
        return baked.Credential is null ? (null, $"{file.Name}: {baked.Refusal}") : (baked.Credential, null);
    }

    private static (VerificationOutcome?, string?) Show(string name, VerificationReport report, bool asJson)
    {
        if (asJson) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else Print(name, report);
        return (report.Outcome, report.FirstFailure?.Message);
    }

    private static (VerificationOutcome?, string?) Show(string name, PortfolioReport report, bool asJson)
    {
        if (asJson) Console.WriteLine(JsonSerializer.Serialize(new { report.Verified, report.Outcome, report.Summary, report.Credentials }, JsonOptions));
        else Print(name, report);
        var firstUnchecked = report.Credentials.FirstOrDefault(c => c.Report.Outcome == VerificationOutcome.CouldNotCheck);
        return (report.Outcome, firstUnchecked is null ? null : $"credential {firstUnchecked.Index}: {firstUnchecked.Report.FirstFailure!.Message}");
    }

    private static string Indent(int depth) => depth == 0 ? "" : new string(' ', 2 * (depth - 1)) + "└ ";

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
        var (label, text) = report.Outcome switch
        {
            VerificationOutcome.Verified => ("[green bold]VERIFIED[/]",
                $"{name}: issued by {report.Issuer ?? "?"} ({report.IssuerId ?? "?"}, account {report.IssuerAccount ?? "?"}), anchored {report.AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}"),
            VerificationOutcome.CouldNotCheck => ("[yellow bold]COULD NOT CHECK[/]",
                $"{name}: the blockchain could not be read at '{failed!.Name}'"),
            _ => ("[red bold]NOT VERIFIED[/]", $"{name}: failed at '{failed!.Name}': {CredentialVerifier.Check(failed.Name).Failure}"),
        };
        // The verdict's words as plain text: markup would read ":key:" of a did:key, or an issuer's name, as an emoji code.
        AnsiConsole.Markup(label + " ");
        AnsiConsole.Write(new Text(text));
        AnsiConsole.WriteLine();
    }

    /// <summary>
    /// A portfolio as a reader scans it: each credential's title, issuer, date and verdict, a qualification's
    /// components indented under it, then the verdict on the whole.
    /// </summary>
    private static void Print(string name, PortfolioReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("credential").AddColumn("issuer").AddColumn("issued").AddColumn("verdict");
        void Add(PortfolioEntry entry, int depth)
        {
            var r = entry.Report;
            var verdict = r.Outcome switch
            {
                VerificationOutcome.Verified => "[green]verified[/]",
                VerificationOutcome.CouldNotCheck => $"[yellow]could not check at '{Markup.Escape(r.FirstFailure!.Name)}'[/]",
                _ => $"[red]not verified: failed at '{Markup.Escape(r.FirstFailure!.Name)}'[/]",
            };
            table.AddRow(new Text(entry.Index.ToString(CultureInfo.InvariantCulture)), new Text(Indent(depth) + (entry.Title ?? entry.Id ?? "(untitled)")),
                new Text(r.Issuer ?? (entry.ClaimedIssuer is { } claimed ? $"{claimed} (claimed, unverified)" : "?")),
                new Text(r.AnchoredAt is { } at ? $"{at:yyyy-MM-dd}" : entry.IssuedOn ?? ""), new Markup(verdict));
            foreach (var component in entry.Components)
            {
                if (component.Credential is { } nested)
                {
                    Add(nested, depth + 1);
                    continue;
                }
                var why = component.Match == ComponentMatch.DigestDiffers
                    ? $"[red]does not match: credential {component.Index} has its id but another digest[/]"
                    : "[grey]not in the portfolio (its qualification's components check answers for it)[/]";
                table.AddRow(new Text(""), new Text(Indent(depth + 1) + (component.Name ?? component.Id)), new Text(""), new Text(""), new Markup(why));
            }
        }
        foreach (var entry in report.Roots) Add(entry, 0);
        AnsiConsole.Write(table);
        var failed = report.Credentials.Where(c => !c.Report.Verified).Select(c => c.Index.ToString(CultureInfo.InvariantCulture)).ToList();
        AnsiConsole.MarkupLine(report.Outcome switch
        {
            VerificationOutcome.Verified => $"[green bold]VERIFIED[/] {Markup.Escape(name)}: all {report.Credentials.Count} credentials verified",
            VerificationOutcome.CouldNotCheck =>
                $"[yellow bold]COULD NOT CHECK[/] {Markup.Escape(name)}: none of {report.Credentials.Count} credentials failed, but credential {string.Join(", ", failed)} could not be checked",
            _ => $"[red bold]NOT VERIFIED[/] {Markup.Escape(name)}: credential {string.Join(", ", failed)} of {report.Credentials.Count} did not verify",
        });
    }
}
