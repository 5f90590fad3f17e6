using System.Text.Json.Nodes;

namespace Registry.Api.Reference;

/// <summary>The qualification bodies the API reference shows; the test suite defines this very qualification.</summary>
public static class QualificationExamples
{
    public static JsonObject Definition() => new()
    {
        ["name"] = "Certificate in Smart Contract Engineering",
        ["description"] = "Awarded for any three of the five short courses in smart contract engineering.",
        ["criteria"] = new JsonObject { ["narrative"] = "Hold at least three of the required course badges, each verified on the chain." },
        ["requires"] = new JsonArray(
            Requirement("https://example.edu/achievements/solidity-101"),
            Requirement("https://example.edu/achievements/testing-201"),
            Requirement("https://example.edu/achievements/security-301"),
            Requirement("https://training.example.com/achievements/gas-optimisation"),
            Requirement("https://training.example.com/achievements/auditing")),
        ["minimum"] = 3,
    };

    /// <summary>An award's body: the learner and their component credentials, as the registry handed them out.</summary>
    public static JsonObject Award() => new()
    {
        ["subject"] = "did:example:learner-1",
        ["components"] = new JsonArray(CredentialExamples.Portable()),
    };

    private static JsonObject Requirement(string achievement) => new() { ["achievement"] = achievement };
}
