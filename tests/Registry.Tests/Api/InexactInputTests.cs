using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Storage;
using Registry.Tests.Credentials;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// Values that canonical JSON cannot keep as sent (escaped lone surrogates, numbers no double holds)
/// are a 400 that names the field, one credential or many; verification fails them at <c>format</c>.
/// </summary>
[Collection(IssuingCollection.Name)]
public sealed class InexactInputTests(IssuingRegistry registry)
{
    private const string Placeholder = "\"PLACEHOLDER\"";

    /// <summary>Where a badge gets the placeholder, and the field the registry must name for it.</summary>
    public static TheoryData<string, string> StringFields => new()
    {
        { "name", "/name" },
        { "type", "/type/2" },
        { "@context", "/@context/0" },
        { "validFrom", "/validFrom" },
        { "issuer", "/issuer" },
        { "achievement", "/credentialSubject/achievement/name" },
        { "property name", "/ESCAPE" },
        { "nested property name", "/credentialSubject/ESCAPE" },
    };

    [Theory]
    [MemberData(nameof(StringFields))]
    public async Task A_lone_surrogate_anywhere_is_a_400_naming_the_field(string where, string field)
    {
        foreach (var escape in new[] { @"\ud800", @"\udc00", @"\ud800\u0041" })
        {
            var text = BadgeText(where).Replace(Placeholder, where.EndsWith("property name") ? $"\"{escape}\": 1" : $"\"{escape}\"");
            var errors = await ExpectInvalidAsync(await ProblemTests.PostRawAsync(registry.IssuerClient, "/credentials", text));
            // A property name that has no text is named by its escapes.
            var expected = field.Replace("ESCAPE", escape);
            Assert.True(errors.ContainsKey(expected), $"{expected} not in {errors.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(StringFields))]
    public async Task A_lone_surrogate_in_a_bulk_item_is_named_with_the_items_index(string where, string field)
    {
        var bad = BadgeText(where).Replace(Placeholder, where.EndsWith("property name") ? "\"\\ud800\": 1" : "\"\\ud800\"");
        var body = $"[{Samples.Badge().ToJsonString()}, {Samples.Badge().ToJsonString()}, {bad}]";
        var errors = await ExpectInvalidAsync(await ProblemTests.PostRawAsync(registry.IssuerClient, "/credentials/bulk", body));
        Assert.True(errors.ContainsKey($"/2{field.Replace("ESCAPE", @"\ud800")}"), errors.ToJsonString());
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("1e-400")]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.1000000000000000055511151231257827")]
    public async Task A_number_no_double_holds_is_a_400_naming_the_field(string number)
    {
        var text = BadgeText("score").Replace(Placeholder, number);
        var errors = await ExpectInvalidAsync(await ProblemTests.PostRawAsync(registry.IssuerClient, "/credentials", text));
        Assert.Equal(["/credentialSubject/score"], errors.Select(e => e.Key));

        var body = $"[{Samples.Badge().ToJsonString()}, {text}]";
        var bulkErrors = await ExpectInvalidAsync(await ProblemTests.PostRawAsync(registry.IssuerClient, "/credentials/bulk", body));
        Assert.Equal(["/1/credentialSubject/score"], bulkErrors.Select(e => e.Key));
    }

    [Theory]
    [InlineData("0.1", "0.1")]
    [InlineData("1.0", "1")]
    [InlineData("1e2", "100")]
    [InlineData("-0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("9007199254740992", "9007199254740992")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("2.2250738585072014e-308", "2.2250738585072014e-308")]
    public async Task A_number_a_double_holds_is_accepted_with_its_value(string number, string canonical)
    {
        var text = BadgeText("score").Replace(Placeholder, number);
        var response = await ProblemTests.PostRawAsync(registry.IssuerClient, "/credentials", text);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var store = registry.App.Services.GetRequiredService<ICredentialStore>();
        Assert.Contains($"\"score\":{canonical},", store.Read(store.Find(id)!).Document);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00\"")]
    [InlineData("\"\\ud800\\u0041\"")]
    [InlineData("9007199254740993")]
    [InlineData("1e-400")]
    public async Task Verification_fails_such_a_document_at_format(string value)
    {
        var client = registry.App.CreateClient();
        Assert.Equal("digest", await FailedCheckAsync(client, LoneSurrogateTests.PortableText("description", "\"text\"")));
        Assert.Equal("format", await FailedCheckAsync(client, LoneSurrogateTests.PortableText("description", value)));
        if (value.StartsWith('"'))
        {
            var asName = Encoding.UTF8.GetString(LoneSurrogateTests.PortableText("description", "1").Span).Replace("\"description\"", value);
            Assert.Equal("format", await FailedCheckAsync(client, Encoding.UTF8.GetBytes(asName)));
        }
    }

    private static async Task<string?> FailedCheckAsync(HttpClient client, ReadOnlyMemory<byte> portable)
    {
        var response = await client.PostAsync("/verify", new ReadOnlyMemoryContent(portable) { Headers = { { "Content-Type", "application/json" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(result["verified"]!.GetValue<bool>());
        return result.FailedCheck()?["name"]?.GetValue<string>();
    }

    /// <summary>A valid badge as JSON text, with the placeholder where <paramref name="where"/> says.</summary>
    private static string BadgeText(string where)
    {
        var badge = Samples.Badge();
        switch (where)
        {
            case "type": badge["type"]!.AsArray().Add("PLACEHOLDER"); break;
            case "@context": badge["@context"]!.AsArray()[0] = "PLACEHOLDER"; break;
            case "achievement": badge["credentialSubject"]!["achievement"]!["name"] = "PLACEHOLDER"; break;
            case "score": badge["credentialSubject"]!["score"] = "PLACEHOLDER"; break;
            case "property name": badge["z"] = "PLACEHOLDER"; break;
            case "nested property name": badge["credentialSubject"]!["z"] = "PLACEHOLDER"; break;
            default: badge[where] = "PLACEHOLDER"; break;
        }
        var text = badge.ToJsonString();
        // For a property name the placeholder stands for the whole member.
        return where.EndsWith("property name") ? text.Replace("\"z\":" + Placeholder, Placeholder) : text;
    }

    private static async Task<JsonObject> ExpectInvalidAsync(HttpResponseMessage response) =>
        (await ProblemTests.ExpectProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
}
