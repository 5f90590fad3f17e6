using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Spectre.Console;

namespace Registry.Cli;

/// <summary><c>registry issue FILE --api URL --key KEY</c>: bulk issuance from a JSON array or JSON Lines file.</summary>
public static class IssueCommand
{
    public const int ChunkSize = 10_000;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON array of credentials, or JSON Lines (one credential per line)." };
        var api = new Option<string>("--api") { Description = "The registry's base URL, e.g. http://127.0.0.1:5080.", Required = true };
        var key = new Option<string>("--key") { Description = "The issuer's API key.", Required = true };
        var chunk = new Option<int>("--chunk") { Description = $"Credentials per request (1 to {ChunkSize:N0}).", DefaultValueFactory = _ => ChunkSize };
        var output = new Option<FileInfo?>("--out") { Description = "Write the accepted ids and digests here as JSON Lines (default: standard output)." };
        var command = new Command("issue", "Issue credentials in bulk through the API, with a progress bar.") { file, api, key, chunk, output };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(api)!, parse.GetValue(key)!, parse.GetValue(chunk), parse.GetValue(output), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, string api, string key, int chunkSize, FileInfo? output, CancellationToken ct)
    {
        if (!Registry.Web.HttpUrl.TryParse(api, out var baseUrl))
            return ExitCodes.Usage($"--api '{api}' is not an http(s) URL.");
        if (chunkSize is < 1 or > ChunkSize) return ExitCodes.Usage($"--chunk must be from 1 to {ChunkSize:N0}.");

        List<JsonNode?> credentials;
        try
        {
            credentials = Read(await File.ReadAllBytesAsync(file.FullName, ct));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return ExitCodes.Usage($"Cannot read {file.FullName}: {e.Message}");
        }
        if (credentials.Count == 0) return ExitCodes.Usage($"{file.Name} holds no credentials.");

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // A chunk over the API's body limit is refused before it is sent, so the answer is a 413 and not a reset connection.
        http.DefaultRequestHeaders.ExpectContinue = true;
        await using var sink = output is null ? Console.OpenStandardOutput() : File.Create(output.FullName);
        await using var writer = new StreamWriter(sink, new UTF8Encoding(false));

        var issued = 0;
        string? failure = null;
        // The progress bar goes to standard error, so standard output carries only the results.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Issuing {credentials.Count:N0} credentials", maxValue: credentials.Count);
                for (var start = 0; start < credentials.Count && failure is null; start += chunkSize)
                {
                    var chunk = new JsonArray(credentials.Skip(start).Take(chunkSize).Select(c => c?.DeepClone()).ToArray());
                    using var response = await http.PostAsync("/credentials/bulk",
                        new StringContent(chunk.ToJsonString(), Encoding.UTF8, "application/json"), ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        failure = $"Credentials {start + 1}–{start + chunk.Count} were refused ({(int)response.StatusCode}): {Describe(body, start)}";
                        break;
                    }
                    foreach (var item in JsonNode.Parse(body)!["items"]!.AsArray())
                        await writer.WriteLineAsync(item!.ToJsonString());
                    issued += chunk.Count;
                    task.Increment(chunk.Count);
                }
            });
        await writer.FlushAsync(ct);
        Console.Error.WriteLine($"{issued:N0} of {credentials.Count:N0} credentials issued.");
        if (failure is null) return 0;
        Console.Error.WriteLine(failure);
        return ExitCodes.Failed;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A JSON array, or JSON Lines with one credential per non-empty line.</summary>
    private static List<JsonNode?> Read(byte[] bytes)
    {
        string text;
        try
        {
            // Bytes that are not UTF-8 are refused, not replaced: the registry issues what the file says.
            text = StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new JsonException("The file is not valid UTF-8.", e);
        }
        if (text.TrimStart().StartsWith('['))
            return (StrictJson.Parse(text) as JsonArray ?? throw new JsonException("Expected a JSON array.")).ToList();
        var lines = text.Split('\n');
        var credentials = new List<JsonNode?>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                credentials.Add(StrictJson.Parse(lines[i]));
            }
            catch (JsonException e)
            {
                throw new JsonException($"line {i + 1}: {e.Message}", e);
            }
        }
        return credentials;
    }

    /// <summary>The problem document's detail and field errors, with item indexes shifted to the file's numbering.</summary>
    private static string Describe(string body, int offset)
    {
        try
        {
            var problem = JsonNode.Parse(body)!;
            var detail = problem["detail"]?.GetValue<string>() ?? problem["title"]?.GetValue<string>() ?? body;
            if (problem["errors"] is not JsonObject errors) return detail;
            var fields = errors.Take(20).Select(e => $"{Renumber(e.Key, offset)}: {string.Join(" ", e.Value!.AsArray().Select(m => m!.GetValue<string>()))}");
            return detail + Environment.NewLine + string.Join(Environment.NewLine, fields);
        }
        catch (JsonException)
        {
            return body.Length > 500 ? body[..500] : body;
        }
    }

    /// <summary>A bulk error's JSON Pointer (<c>/3/credentialSubject</c>) as the file's item: <c>credential 4 /credentialSubject</c>.</summary>
    private static string Renumber(string field, int offset)
    {
        var end = field.IndexOf('/', 1);
        if (!field.StartsWith('/')) return field;
        var token = end < 0 ? field[1..] : field[1..end];
        return int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? $"credential {offset + index + 1} {(end < 0 ? "(the whole item)" : field[end..])}"
            : field;
    }
}
