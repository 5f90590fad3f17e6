using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Portfolio;

namespace Registry.Cli;

/// <summary><c>registry portfolio FILE… --out FILE</c>: puts credential files (JSON, or baked badges) into one presentation, a learner's portfolio.</summary>
public static class PortfolioCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "The portable credentials: JSON files or baked badges (PNG, SVG).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the portfolio (a VC 2.0 VerifiablePresentation, unsigned).", Required = true };
        var command = new Command("portfolio", $"Build a portfolio of up to {Presentation.MaxCredentials} credentials, to verify and share as one file.") { files, output };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(files)!, parse.GetValue(output)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] files, FileInfo output, CancellationToken ct)
    {
        if (files.Length > Presentation.MaxCredentials)
            return ExitCodes.Usage($"{files.Length} files given; a portfolio holds at most {Presentation.MaxCredentials} credentials.");
        var credentials = new List<JsonObject>(files.Length);
        foreach (var file in files)
        {
            var (bytes, problem) = await VerifyCommand.ReadDocumentAsync(file, ct);
            if (bytes is null) return ExitCodes.Usage(problem!);
            try
            {
                credentials.Add(StrictJson.ParseObject(bytes));
            }
            catch (JsonException e)
            {
                return ExitCodes.Usage($"{file.Name} is not a credential: {e.Message}");
            }
        }
        var composed = Presentation.Compose(credentials);
        if (composed.Refusal is { } refusal)
            return ExitCodes.Usage($"No portfolio written: {refusal} (entries are numbered in the order the files were given).");
        var text = composed.Presentation!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var size = System.Text.Encoding.UTF8.GetByteCount(text);
        if (size > PortableCredential.MaxBytes)
            return ExitCodes.Usage($"No portfolio written: it would be {size:N0} bytes, more than the {PortableCredential.MaxBytes:N0} any verifier reads. Split it in two.");
        try
        {
            await File.WriteAllTextAsync(output.FullName, text, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ExitCodes.Usage($"Cannot write {output.FullName}: {e.Message}");
        }
        Console.WriteLine($"Wrote a portfolio of {credentials.Count} credentials to {output.Name}.");
        return ExitCodes.Verified;
    }
}
