using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Portfolio;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Verifier;

/// <summary>
/// The page's view of a verification: the pipeline's report, and what the credential says (who earned
/// what, from whom, when, valid until when) for the page to show beside the verdict. Nothing here
/// decides anything: the verdict and every check come from <see cref="CredentialVerifier"/>.
/// </summary>
internal static class PageReport
{
    public static JsonArray Checks() =>
        new(CredentialVerifier.Checks.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["description"] = c.Description, ["failure"] = c.Failure }).ToArray());

    public static JsonObject Problem(string message) => new() { ["verified"] = false, ["problem"] = message, ["checks"] = new JsonArray() };

    public static JsonObject Of(VerificationReport report, ReadOnlyMemory<byte> document, IReadOnlyList<TrustedRegistry> trusted)
    {
        var failed = report.FirstFailure;
        var credential = Parse(document);
        var anchorProof = credential?["proof"] is JsonArray set ? set.FirstOrDefault() as JsonObject : null;
        var anchor = anchorProof?["anchor"] as JsonObject;
        var unreachable = report.Outcome == VerificationOutcome.CouldNotCheck;
        return new JsonObject
        {
            ["verified"] = report.Verified,
            ["outcome"] = VerificationWords.Of(report.Outcome),
            ["checks"] = new JsonArray(report.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["status"] = VerificationWords.Of(c.Status),
                ["message"] = c.Message,
                ["reason"] = c.Reason is { } reason ? VerificationWords.Of(reason) : null,
            }).ToArray()),
            ["failed"] = failed?.Name,
            // The chain's name for the issuer; the document's issuer.name is only a claim, shown as such.
            ["issuer"] = report.Issuer,
            ["issuerId"] = report.IssuerId,
            ["issuerAccount"] = report.IssuerAccount,
            ["anchoredAt"] = Time(report.AnchoredAt),
            ["revokedAt"] = Time(report.RevokedAt),
            ["revocationReason"] = report.RevocationReason,
            // The page offers a field for a node (and, for an unknown registry, for the address to trust).
            ["needsRegistry"] = failed?.Name == "registry" || unreachable,
            ["unreachable"] = unreachable,
            ["trusted"] = TrustedRegistry.ToJson(trusted.Select(t => t with { RpcUrl = null })),
            ["credential"] = credential is null ? null : Summary(credential, anchorProof, anchor, trusted),
        };
    }

    /// <summary>A portfolio as the page lists it: each credential's title, issuer, date and verdict, and the verdict on the whole.</summary>
    public static JsonObject Of(PortfolioReport report, IReadOnlyList<TrustedRegistry> trusted) => new()
    {
        ["portfolio"] = true,
        ["verified"] = report.Verified,
        ["outcome"] = VerificationWords.Of(report.Outcome),
        ["count"] = report.Credentials.Count,
        ["credentials"] = new JsonArray(report.Credentials.Select(entry => (JsonNode)Entry(entry)).ToArray()),
        ["needsRegistry"] = report.Credentials.Any(c => c.Report.FirstFailure?.Name == "registry" || c.Report.Outcome == VerificationOutcome.CouldNotCheck),
        ["trusted"] = TrustedRegistry.ToJson(trusted.Select(t => t with { RpcUrl = null })),
    };

    private static JsonObject Entry(PortfolioEntry entry) => new()
    {
        ["index"] = entry.Index,
        ["id"] = entry.Id,
        ["title"] = entry.Title,
        ["claimedIssuer"] = entry.ClaimedIssuer,
        ["issuer"] = entry.Report.Issuer,
        ["issuedOn"] = entry.IssuedOn,
        ["anchoredAt"] = Time(entry.Report.AnchoredAt),
        ["revokedAt"] = Time(entry.Report.RevokedAt),
        ["outcome"] = VerificationWords.Of(entry.Report.Outcome),
        ["failed"] = entry.Report.FirstFailure?.Name,
        // A qualification's components, each with the file nested under it or why there is none; the page draws the tree.
        ["components"] = new JsonArray(entry.Components.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["digest"] = c.Digest,
            ["match"] = PortfolioWords.Of(c.Match),
            ["index"] = c.Index,
            ["credential"] = c.Credential is { } nested ? Entry(nested) : null,
        }).ToArray()),
        ["componentOf"] = new JsonArray(entry.ComponentOf.Select(i => (JsonNode)i).ToArray()),
    };

    private static JsonObject? Parse(ReadOnlyMemory<byte> document)
    {
        try
        {
            return JsonNode.Parse(document.Span) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>What the credential claims, as plain text fields; absent fields stay null.</summary>
    private static JsonObject Summary(JsonObject credential, JsonObject? anchorProof, JsonObject? anchor, IReadOnlyList<TrustedRegistry> trusted)
    {
        var subject = First(credential["credentialSubject"]);
        var achievement = subject?["achievement"] as JsonObject;
        var issuer = credential["issuer"];
        var chainId = anchor?["chainId"] is JsonValue id && id.TryGetValue<long>(out var number) ? number : (long?)null;
        var registry = Text(anchor?["registry"]);
        return new JsonObject
        {
            ["name"] = Text(credential["name"]),
            ["learner"] = new JsonObject
            {
                ["name"] = Text(subject?["name"]) ?? Text(First(subject?["identifier"])?["identityHash"]),
                ["id"] = Text(subject?["id"]),
            },
            ["achievement"] = new JsonObject
            {
                ["name"] = Text(achievement?["name"]),
                ["description"] = Text(achievement?["description"]),
                ["criteria"] = Text(achievement?["criteria"]?["narrative"]) ?? Text(achievement?["criteria"]?["id"]),
            },
            ["issuer"] = new JsonObject
            {
                ["name"] = Text(issuer?["name"]),
                ["id"] = Text(issuer) ?? Text(issuer?["id"]),
                ["url"] = Text(issuer?["url"]),
            },
            ["validFrom"] = Text(credential["validFrom"]),
            ["validUntil"] = Text(credential["validUntil"]),
            ["created"] = Text(anchorProof?["created"]),
            ["anchor"] = new JsonObject
            {
                ["chainId"] = chainId,
                ["registry"] = registry,
                ["registryName"] = chainId is { } chain && registry is not null ? trusted.LastOrDefault(t => t.Trusts(chain, registry))?.Name : null,
                ["blockNumber"] = anchor?["blockNumber"] is JsonValue block && block.TryGetValue<long>(out var b) ? b : null,
                ["transactionHash"] = Text(anchor?["transactionHash"]),
            },
        };
    }

    private static JsonObject? First(JsonNode? node) => node switch
    {
        JsonObject one => one,
        JsonArray many => many.OfType<JsonObject>().FirstOrDefault(),
        _ => null,
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Time(DateTimeOffset? time) => time is { } t ? XsdDateTime.Format(t) : null;
}
