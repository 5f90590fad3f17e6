using Microsoft.AspNetCore.Http.HttpResults;

namespace Registry.Api.Page;

/// <summary>The verification page at <c>/</c>: one self-contained HTML file that calls <c>POST /verify</c>.</summary>
public static class PageEndpoints
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream("verify-page.html")
            ?? throw new InvalidOperationException("The verification page is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapPage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", ContentHttpResult (HttpContext context) =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Content(Html.Value, "text/html; charset=utf-8");
            })
            .ExcludeFromDescription();
        return routes;
    }
}
