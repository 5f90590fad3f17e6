using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>Credentials as an issuer submits them.</summary>
public static class Samples
{
    /// <summary>An Open Badges 3.0 badge: the one the API reference shows as its example.</summary>
    public static JsonObject Badge(string learner = "did:example:learner-1", string achievement = "Introduction to Solidity") =>
        Registry.Api.Reference.CredentialExamples.Badge(learner, achievement);

    /// <summary>A plain VC 2.0 credential, not a badge.</summary>
    public static JsonObject Plain() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
        ["type"] = new JsonArray("VerifiableCredential"),
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:someone", ["skill"] = "Welding, level 2" },
    };
}
