using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Baking;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Portfolio;

/// <summary>Baked badges from the API (<c>badge.png</c>, <c>badge.svg</c>), verified by <c>POST /verify</c> as image uploads.</summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class BakedBadgeApiTests(SharedRegistry registry)
{
    private async Task<byte[]> BadgeAsync(string id, string extension, string mediaType)
    {
        var response = await registry.IssuerClient.GetAsync($"/credentials/{id}/badge.{extension}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<HttpResponseMessage> VerifyImageAsync(byte[] image, string mediaType) =>
        await registry.App.CreateClient().PostAsync("/verify", new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } });

    [Theory]
    [InlineData("png", "image/png", BadgeFormat.Png)]
    [InlineData("svg", "image/svg+xml", BadgeFormat.Svg)]
    public async Task A_baked_badge_holds_the_portable_credential_and_verifies_as_an_upload(string extension, string mediaType, BadgeFormat format)
    {
        var id = registry.CredentialIds[0];
        var image = await BadgeAsync(id, extension, mediaType);

        var baked = BakedImage.Extract(format, image);
        Assert.Null(baked.Refusal);
        Assert.True(JsonNode.DeepEquals(await registry.IssuerClient.PortableAsync(id), JsonNode.Parse(baked.Credential)));

        var response = await VerifyImageAsync(image, mediaType);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(answer["verified"]!.GetValue<bool>(), answer.ToJsonString());
    }

    [Theory]
    [InlineData("png", "image/png", BadgeFormat.Png)]
    [InlineData("svg", "image/svg+xml", BadgeFormat.Svg)]
    public async Task A_badge_whose_credential_was_altered_after_baking_fails_at_digest(string extension, string mediaType, BadgeFormat format)
    {
        var image = await BadgeAsync(registry.CredentialIds[1], extension, mediaType);
        var credential = JsonNode.Parse(BakedImage.Extract(format, image).Credential)!.AsObject();
        credential["credentialSubject"]!["achievement"]!["name"] = "Advanced Solidity";
        var altered = BakedImage.Bake(format, image, credential.ToJsonString());

        var answer = (await (await VerifyImageAsync(altered, mediaType)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(answer["verified"]!.GetValue<bool>());
        Assert.Equal("digest", answer.FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_with_no_credential_or_two_is_refused_with_the_reason()
    {
        var plain = BadgeArt.DrawPng(new BadgeLabels("Nothing baked", "Nobody", "2026-01-01", null));
        await AssertRefusedAsync(await VerifyImageAsync(plain, "image/png"), "no baked credential");

        var twice = BakingTests.WithCredentialTwice(await BadgeAsync(registry.CredentialIds[0], "svg", "image/svg+xml"));
        await AssertRefusedAsync(await VerifyImageAsync(twice, "image/svg+xml"), "2 baked credentials");

        await AssertRefusedAsync(await VerifyImageAsync("not a png at all"u8.ToArray(), "image/png"), "not a PNG");
        await AssertRefusedAsync(await VerifyImageAsync("<svg><unclosed"u8.ToArray(), "image/svg+xml"), "not well-formed");
    }

    [Fact]
    public async Task Another_image_type_is_415_naming_what_is_accepted()
    {
        var response = await registry.App.CreateClient().PostAsync("/verify", new ByteArrayContent([0x47, 0x49, 0x46]) { Headers = { ContentType = new("image/gif") } });
        var problem = await Api.ProblemTests.ExpectProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.True(problem["detail"]?.GetValue<string>()?.Contains("image/png"), problem.ToJsonString());
    }

    [Fact]
    public async Task A_badge_is_409_until_its_credential_is_anchored_and_404_for_anyone_elses()
    {
        var issued = await registry.IssuerClient.PostAsJsonAsync("/credentials", Samples.Badge("did:example:waiting"));
        var id = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        foreach (var extension in new[] { "png", "svg" })
        {
            var response = await registry.IssuerClient.GetAsync($"/credentials/{id}/badge.{extension}");
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }
        var other = (await registry.App.AddIssuerAsync("Another College")).Client;
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/credentials/{registry.CredentialIds[0]}/badge.png")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.App.CreateClient().GetAsync($"/credentials/{registry.CredentialIds[0]}/badge.png")).StatusCode);
        var auditor = await registry.App.CreateAuditorAsync();
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/credentials/{registry.CredentialIds[0]}/badge.svg")).StatusCode);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains(reason, problem["detail"]!.GetValue<string>());
    }
}
