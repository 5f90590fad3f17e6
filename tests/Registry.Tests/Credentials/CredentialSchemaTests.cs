using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Credentials;

/// <summary>The JSON Schemas as the registry applies them at submission, without a chain: what passes, and how failures are named.</summary>
public sealed class CredentialSchemaTests
{
    private static readonly IssuerDid Did = IssuerDid.For(31337, "0x" + new string('a', 40));

    /// <summary>A submitted badge completed as the registry completes it.</summary>
    private static JsonObject Issued(JsonObject submitted)
    {
        RegistryFields.Apply(submitted, "urn:uuid:6f1d3c9e-1c39-4b7e-9d6c-3f7f5a0c2b11", new IssuerProfileFields(ProofSets.StrangerDidKey, "Schema College", "https://example.edu"),
            Samples.StatusListEntry(), CredentialStatusEntry.For(Did, "0x" + new string('b', 40)));
        return submitted;
    }

    private static ValidationErrors Validate(JsonObject credential)
    {
        var errors = new ValidationErrors();
        using var document = JsonDocument.Parse(credential.ToJsonString());
        CredentialSchemas.Validate(document.RootElement, CredentialValidator.IsOpenBadge(credential), errors);
        return errors;
    }

    [Fact]
    public void The_samples_meet_both_schemas_once_completed()
    {
        foreach (var sample in new[] { Samples.Badge(), Samples.AwkwardBadge(), Samples.Plain() })
        {
            var errors = Validate(Issued(sample));
            Assert.True(errors.IsEmpty, errors.ToString());
        }
    }

    [Fact]
    public void A_failure_inside_alternatives_is_named_once_at_its_field()
    {
        var badge = Issued(Samples.Badge());
        badge["credentialSubject"]!["type"] = new JsonArray("Person");
        var errors = Validate(badge).ToDictionary();
        Assert.Equal(["/credentialSubject/type"], errors.Keys);
    }

    [Fact]
    public void Each_failing_field_is_a_json_pointer()
    {
        var badge = Issued(Samples.AwkwardBadge());
        badge["evidence"]![1]!.AsObject().Remove("type");
        badge["credentialSubject"]!["result"]![0]!["status"] = "Nearly";
        badge["credentialSubject"]!["achievement"]!["image"]!.AsObject().Remove("id");
        badge["credentialSubject"]!["achievement"]!.AsObject().Remove("criteria");
        badge["issuer"]!["url"] = "not a url";
        var errors = Validate(badge).ToDictionary();
        // The VC 2.0 schema names the evidence list (an item of it has no type), the Open Badges schema the item.
        Assert.Equal(["/credentialSubject/achievement", "/credentialSubject/achievement/image", "/credentialSubject/result/0/status", "/evidence", "/evidence/1", "/issuer/url"],
            errors.Keys.Order());
    }

}
