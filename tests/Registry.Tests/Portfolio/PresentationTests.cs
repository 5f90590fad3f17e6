using System.Text.Json.Nodes;
using Registry.Portfolio;

namespace Registry.Tests.Portfolio;

/// <summary>What a presentation must be before any of its credentials is verified, and what is refused with which reason.</summary>
public sealed class PresentationTests
{
    private static JsonObject Credential(string id) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
        ["id"] = id,
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
    };

    private static JsonObject Of(params JsonNode?[] entries) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
        ["type"] = new JsonArray("VerifiablePresentation"),
        ["verifiableCredential"] = new JsonArray(entries),
    };

    [Fact]
    public void Compose_builds_a_vc2_presentation_that_reads_back_its_credentials_in_order()
    {
        var composed = Presentation.Compose([Credential("urn:uuid:a"), Credential("urn:uuid:b")]);
        Assert.Null(composed.Refusal);
        var presentation = composed.Presentation!;
        Assert.True(Presentation.Is(presentation));
        Assert.Equal("https://www.w3.org/ns/credentials/v2", presentation["@context"]![0]!.GetValue<string>());
        var read = Presentation.Read((JsonObject)presentation.DeepClone());
        Assert.Equal(["urn:uuid:a", "urn:uuid:b"], read.Credentials.Select(c => c["id"]!.GetValue<string>()));
        Assert.All(read.Credentials, c => Assert.Null(c.Parent));
    }

    [Fact]
    public void A_hundred_credentials_are_read_and_a_hundred_and_one_refused()
    {
        var hundred = Enumerable.Range(0, 100).Select(i => (JsonNode)Credential($"urn:uuid:{i}")).ToArray();
        Assert.Null(Presentation.Read(Of(hundred)).Refusal);
        var refused = Presentation.Read(Of([.. hundred.Select(c => c.DeepClone()), Credential("urn:uuid:x")]));
        Assert.Contains("101 credentials", refused.Refusal);
        Assert.Empty(refused.Credentials);
    }

    [Fact]
    public void A_credential_given_twice_is_refused_naming_both_entries()
    {
        var refused = Presentation.Read(Of(Credential("urn:uuid:a"), Credential("urn:uuid:b"), Credential("urn:uuid:a")));
        Assert.Contains("Entries 1 and 3", refused.Refusal);
        Assert.Contains("urn:uuid:a", refused.Refusal);
    }

    [Fact]
    public void Two_identical_credentials_without_an_id_are_the_same_credential()
    {
        var plain = Credential("x");
        plain.Remove("id");
        Assert.Contains("Entries 1 and 2", Presentation.Read(Of(plain, plain.DeepClone())).Refusal);
    }

    [Theory]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"type\": [\"VerifiablePresentation\"]}")]
    [InlineData("{\"id\": \"urn:uuid:z\"}")]
    public void An_entry_that_is_not_a_credential_is_refused_by_its_number(string entry)
    {
        var refused = Presentation.Read(Of(Credential("urn:uuid:a"), JsonNode.Parse(entry)));
        Assert.Contains("Entry 2", refused.Refusal);
        Assert.Contains("not a credential", refused.Refusal);
    }

    [Fact]
    public void An_empty_presentation_and_one_of_another_data_model_are_refused()
    {
        Assert.Contains("no credentials", Presentation.Read(Of()).Refusal);
        var v1 = Of(Credential("urn:uuid:a"));
        v1["@context"] = new JsonArray("https://www.w3.org/2018/credentials/v1");
        Assert.Contains("VC 2.0", Presentation.Read(v1).Refusal);
        var noArray = Of();
        noArray["verifiableCredential"] = "urn:uuid:a";
        Assert.NotNull(Presentation.Read(noArray).Refusal);
    }

    [Fact]
    public void A_single_credential_not_in_an_array_is_a_portfolio_of_one()
    {
        var one = Of();
        one["verifiableCredential"] = Credential("urn:uuid:a");
        Assert.Single(Presentation.Read(one).Credentials);
    }
}
