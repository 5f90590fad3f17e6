using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>Credentials as an issuer submits them.</summary>
public static class Samples
{
    public static JsonObject Badge(string learner = "did:example:learner-1", string achievement = "Introduction to Solidity") => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
        ["name"] = achievement,
        ["validFrom"] = "2026-01-15T09:00:00Z",
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = learner,
            ["type"] = new JsonArray("AchievementSubject"),
            ["achievement"] = new JsonObject
            {
                ["id"] = "https://example.edu/achievements/solidity-101",
                ["type"] = new JsonArray("Achievement"),
                ["name"] = achievement,
                ["description"] = "Writes, tests and deploys a simple smart contract.",
                ["criteria"] = new JsonObject { ["narrative"] = "Passed the final project with at least 80%." },
            },
        },
    };

    /// <summary>A plain VC 2.0 credential, not a badge.</summary>
    public static JsonObject Plain() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
        ["type"] = new JsonArray("VerifiableCredential"),
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:someone", ["skill"] = "Welding, level 2" },
    };
}
