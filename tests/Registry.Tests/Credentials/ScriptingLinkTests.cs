using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Credentials;

/// <summary>Links a wallet may render are never javascript:, vbscript: or data: URLs; and two issuers share a name only when the operator says so.</summary>
[Collection(IssuingCollection.Name)]
public sealed class ScriptingLinkTests(IssuingRegistry registry)
{
    public static readonly TheoryData<string, string> Links = new()
    {
        { "/credentialSubject/id", "javascript:alert(document.domain)" },
        { "/credentialSubject/id", "  JavaScript:alert(1)" },
        { "/credentialSubject/achievement/criteria/id", "java\tscript:alert(1)" },
        { "/credentialSubject/achievement/criteria/id", "vbscript:msgbox(1)" },
        { "/credentialSubject/achievement/image/id", "data:text/html,<script>alert(1)</script>" },
        { "/credentialSubject/achievement/image/id", "data:image/svg+xml;base64,PHN2Zy8+" },
        { "/credentialSubject/achievement/id", "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" },
        { "/evidence/0/id", "javascript:void(0)" },
        { "/credentialSubject/achievement/alignment/0/targetUrl", "javascript:alert(1)" },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public async Task A_scripting_url_where_a_wallet_shows_a_link_is_a_400_naming_the_field(string pointer, string url)
    {
        var badge = Samples.Badge();
        Set(badge, pointer, url);
        var errors = await ProblemTests.ExpectValidationAsync(await registry.IssuerClient.PostAsJsonAsync("/credentials", badge));
        Assert.True(errors.ContainsKey(pointer), errors.ToJsonString());
    }

    [Fact]
    public async Task Https_urls_urns_and_raster_images_inline_are_accepted()
    {
        var badge = Samples.Badge();
        Set(badge, "/credentialSubject/achievement/criteria/id", "https://example.edu/criteria");
        Set(badge, "/credentialSubject/achievement/image/id", "data:image/png;base64,iVBORw0KGgo=");
        Set(badge, "/credentialSubject/achievement/image/type", "Image");
        Set(badge, "/credentialSubject/id", "urn:uuid:6f9619ff-8b86-4d11-b42d-00c04fc964ff");
        // Text that merely starts with a scheme's name is not a link.
        Set(badge, "/credentialSubject/achievement/description", "javascript: the language, in twelve lessons");
        var response = await registry.IssuerClient.PostAsJsonAsync("/credentials", badge);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("vbscript:msgbox(1)")]
    public async Task An_issuer_url_that_is_not_http_is_a_400_naming_url(string url)
    {
        var errors = await ProblemTests.ExpectValidationAsync(await registry.App.Admin().PostAsJsonAsync("/issuers", new { name = "Linked College " + Guid.NewGuid(), url }));
        Assert.True(errors.ContainsKey("/url"), errors.ToJsonString());
    }

    [Fact]
    public void The_scheme_is_read_as_a_browser_reads_it()
    {
        Assert.True(ScriptingLinks.IsScripting("\u0001 jaVa\nscRipt:x"));
        Assert.True(ScriptingLinks.IsScripting("data:,x"));
        Assert.False(ScriptingLinks.IsScripting("https://example.edu/javascript:x"));
        Assert.False(ScriptingLinks.IsScripting("urn:data:x"));
        Assert.True(ScriptingLinks.IsRasterImage("data:image/jpeg;base64,/9j/"));
        Assert.False(ScriptingLinks.IsRasterImage("data:image/svg+xml,<svg/>"));
    }

    [Fact]
    public async Task A_second_issuer_of_an_existing_name_is_a_409_unless_asked_for()
    {
        var admin = registry.App.Admin();
        var name = "Namesake College " + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { name })).StatusCode);

        var refused = await ProblemTests.ExpectProblemAsync(await admin.PostAsJsonAsync("/issuers", new { name = " " + name.ToUpperInvariant() }), HttpStatusCode.Conflict);
        Assert.Contains("allowDuplicateName", refused["detail"]!.GetValue<string>());
        var namesakes = (await admin.GetFromJsonAsync<JsonArray>("/issuers"))!.Count(i => string.Equals(i!["name"]!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, namesakes);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { name, allowDuplicateName = true })).StatusCode);
    }

    /// <summary>Sets the value at a JSON Pointer, creating objects and one-item arrays on the way.</summary>
    private static void Set(JsonObject document, string pointer, string value)
    {
        var parts = pointer.TrimStart('/').Split('/');
        JsonNode node = document;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var nextIsIndex = int.TryParse(parts[i + 1], out _);
            if (node is JsonArray array)
            {
                var index = int.Parse(parts[i]);
                while (array.Count <= index) array.Add(nextIsIndex ? new JsonArray() : new JsonObject());
                node = array[index]!;
            }
            else
            {
                var obj = node.AsObject();
                if (obj[parts[i]] is not { } child || child is JsonValue) obj[parts[i]] = child = nextIsIndex ? new JsonArray() : new JsonObject();
                node = child;
            }
        }
        if (node is JsonArray list) list.Add(value);
        else node.AsObject()[parts[^1]] = value;
    }
}
