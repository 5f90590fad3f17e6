using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>Credentials as an issuer submits them.</summary>
public static class Samples
{
    /// <summary>A status list entry as the registry writes it: position 42 of an issuer's first list.</summary>
    public static Registry.Credentials.StatusListEntry StatusListEntry() =>
        Registry.Credentials.StatusListEntry.For(new Uri("https://registry.example.org"), "3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a", 42);

    /// <summary>An Open Badges 3.0 badge: the one the API reference shows as its example.</summary>
    public static JsonObject Badge(string learner = "did:example:learner-1", string achievement = "Introduction to Solidity") =>
        Registry.Api.Reference.CredentialExamples.Badge(learner, achievement);

    /// <summary>
    /// A badge with every kind of awkward content: text beyond ASCII, fractional numbers, a list of
    /// results, an evidence list, and an image as a data URI.
    /// </summary>
    public static JsonObject AwkwardBadge()
    {
        var badge = Badge("did:example:zoe-strasse", "Schweißen für Fortgeschrittene — 溶接 🔥");
        var subject = badge["credentialSubject"]!.AsObject();
        subject["creditsEarned"] = 2.5;
        subject["activityStartDate"] = "2026-01-05T08:30:00+01:00";
        subject["result"] = new JsonArray(
            new JsonObject { ["type"] = new JsonArray("Result"), ["value"] = "87.5 %", ["status"] = "Completed" },
            new JsonObject { ["type"] = new JsonArray("Result"), ["value"] = "Très bien \u2028 «sehr gut»", ["achievedLevel"] = "https://example.edu/levels/distinction" });
        var achievement = subject["achievement"]!.AsObject();
        achievement["creditsAvailable"] = 7.25;
        achievement["description"] = "Zeigt \"saubere\" Nähte\tunter Last: 0.1 + 0.2 ≠ 0.3, ℵ₀ < 𝔠.";
        achievement["image"] = new JsonObject
        {
            ["id"] = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
            ["type"] = "Image",
            ["caption"] = "Ein Abzeichen — バッジ",
        };
        badge["evidence"] = new JsonArray(
            new JsonObject { ["type"] = new JsonArray("Evidence"), ["id"] = "https://example.edu/portfolio/naht-1", ["name"] = "Prüfstück № 1", ["narrative"] = "Geschweißt bei −5 °C." },
            new JsonObject { ["type"] = new JsonArray("Evidence"), ["name"] = "Video", ["genre"] = "Aufnahme", ["audience"] = "Prüfer·innen" });
        return badge;
    }

    /// <summary>
    /// A credential whose name, description and one claim are language value objects with a base direction (VC 2.0 11.1):
    /// Arabic right to left, English left to right, and a value with a direction and no language.
    /// </summary>
    public static JsonObject Directed(string subject = "did:example:someone") => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", new JsonObject { ["@vocab"] = "https://example.org/skills#" }),
        ["type"] = new JsonArray("VerifiableCredential"),
        ["name"] = new JsonArray(
            new JsonObject { ["@value"] = "شهادة اللحام", ["@language"] = "ar", ["@direction"] = "rtl" },
            new JsonObject { ["@value"] = "Welding certificate", ["@language"] = "en", ["@direction"] = "ltr" }),
        ["description"] = new JsonObject { ["@value"] = "Awarded for welding at level 2.", ["@language"] = "en-GB", ["@direction"] = "ltr" },
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = subject,
            ["skill"] = new JsonObject { ["@value"] = "اللحام، المستوى 2", ["@direction"] = "rtl" },
        },
    };

    /// <summary>
    /// The credential the W3C EdDSA suite's issuer tests post (VC 1.1, its helpers' validVc.json), with the <c>id</c> and the
    /// <c>issuer</c> given, each left out when none is: without an id the registry writes its own, by which its verifiers know it.
    /// </summary>
    public static JsonObject Vc11(string? id = null, string? issuer = null)
    {
        var credential = new JsonObject { ["@context"] = new JsonArray(Registry.LinkedData.BundledContexts.CredentialsV1) };
        if (id is not null) credential["id"] = id;
        credential["type"] = new JsonArray("VerifiableCredential");
        if (issuer is not null) credential["issuer"] = issuer;
        credential["issuanceDate"] = "2020-03-16T22:37:26.544Z";
        credential["credentialSubject"] = new JsonObject { ["id"] = "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b" };
        return credential;
    }

    /// <summary>A plain VC 2.0 credential, not a badge; its own terms are defined by a vocabulary of its issuer.</summary>
    public static JsonObject Plain() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", new JsonObject { ["@vocab"] = "https://example.org/skills#" }),
        ["type"] = new JsonArray("VerifiableCredential"),
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:someone", ["skill"] = "Welding, level 2" },
    };
}
