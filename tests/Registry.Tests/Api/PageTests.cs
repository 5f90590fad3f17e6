using System.Net;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>The verification page is served whole, from the registry itself, and speaks to the same API.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PageTests(SharedRegistry registry)
{
    [Fact]
    public async Task The_page_is_self_contained_html_that_uses_the_verify_api()
    {
        var response = await registry.App.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<input id=\"file\" type=\"file\"", html);
        Assert.Contains("fetch(\"verify\"", html);
        Assert.Contains("fetch(\"verify/checks\")", html);
        // Nothing is loaded from elsewhere: the page works offline and leaks nothing to third parties.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
