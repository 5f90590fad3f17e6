using System.CommandLine;
using System.Text.Json;
using Registry.Audit;
using Registry.Chain;
using Spectre.Console;

namespace Registry.Cli;

/// <summary><c>registry audit</c>: issuers, anchors and revocations, read from the chain alone.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var rpc = ChainArguments.RpcOption();
        var registry = new Option<string?>("--registry") { Description = "The CredentialRegistry contract (default: REGISTRY_CONTRACT)." };
        var fromBlock = new Option<long>("--from-block") { Description = "The first block to read (default 0).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("audit", "List issuers, anchors and revocations from the contract's events, with no registry server.") { rpc, registry, fromBlock, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(rpc), parse.GetValue(registry), parse.GetValue(fromBlock), parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(string? rpc, string? registry, long fromBlock, bool asJson)
    {
        var (chain, problem) = ChainArguments.Resolve(rpc, registry);
        if (chain is null) return ExitCodes.Usage(problem!);
        if (chain.Contract is null)
            return ExitCodes.Usage("--registry must name the contract (a 0x-prefixed address), or set REGISTRY_CONTRACT.");
        var rpcUrl = chain.RpcUrl;
        registry = chain.Contract;
        if (fromBlock < 0) return ExitCodes.Usage("--from-block must be 0 or more.");

        IReadOnlyList<RegistryEvent> events;
        var connection = new ChainConnection(rpcUrl);
        try
        {
            var latest = await connection.GetBlockNumberAsync();
            events = fromBlock > latest ? [] : await new RegistryEventLog(connection, registry).ReadInRangesAsync(fromBlock, latest);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Cannot read the chain at {rpcUrl}: {e.Message}");
            return ExitCodes.Failed;
        }

        var issuers = Issuers(events);
        var anchors = events.Where(e => e.Type == RegistryEventTypes.Anchored).ToList();
        var revocations = events.Where(e => e.Type == RegistryEventTypes.Revoked).ToList();
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { registry = registry.ToLowerInvariant(), fromBlock, issuers, anchors, revocations },
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
            return 0;
        }

        var issuerTable = new Table().Title("Issuers").AddColumns("address", "name", "added", "removed");
        foreach (var i in issuers) issuerTable.AddRow(i.Address, Markup.Escape(i.Name ?? ""), Time(i.AddedAt), i.RemovedAt is { } r ? Time(r) : "");
        var anchorTable = new Table().Title("Anchors").AddColumns("block", "root", "issuer", "count", "time");
        foreach (var a in anchors) anchorTable.AddRow(a.BlockNumber.ToString(), a.Root!, a.Issuer, a.Count.ToString()!, Time(a.Timestamp));
        var revocationTable = new Table().Title("Revocations").AddColumns("block", "digest", "issuer", "time", "reason");
        foreach (var r in revocations) revocationTable.AddRow(r.BlockNumber.ToString(), r.Digest!, r.Issuer, Time(r.Timestamp), Markup.Escape(r.Reason ?? ""));
        AnsiConsole.Write(issuerTable);
        AnsiConsole.Write(anchorTable);
        AnsiConsole.Write(revocationTable);
        AnsiConsole.MarkupLine($"{issuers.Count} issuers, {anchors.Count} anchors, {revocations.Count} revocations since block {fromBlock}.");
        return 0;
    }

    public sealed record IssuerSummary(string Address, string? Name, DateTimeOffset? AddedAt, DateTimeOffset? RemovedAt);

    private static List<IssuerSummary> Issuers(IReadOnlyList<RegistryEvent> events)
    {
        var byAddress = new Dictionary<string, IssuerSummary>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Type == RegistryEventTypes.IssuerAdded) byAddress[e.Issuer] = new IssuerSummary(e.Issuer, e.Name, e.Timestamp, null);
            else if (e.Type == RegistryEventTypes.IssuerRemoved)
                byAddress[e.Issuer] = (byAddress.TryGetValue(e.Issuer, out var known) ? known : new IssuerSummary(e.Issuer, null, null, null)) with { RemovedAt = e.Timestamp };
        }
        return byAddress.Values.ToList();
    }

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss'Z'") ?? "";
}
