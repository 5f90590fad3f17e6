using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Registry.Api.Anchoring;
using Registry.Chain;
using Registry.Verification;
using Registry.Web;

namespace Registry.Api.Page;

/// <summary>
/// The verification page at <c>/</c>: the browser verifier that <c>scripts/publish-verifier.sh</c> writes,
/// served as static files, with a <c>/trusted.json</c> made from this registry's own contract and
/// <c>REGISTRY_TRUSTED</c>. The page verifies in the browser, straight against the chain: it goes on
/// working from any static copy when this registry is stopped.
/// </summary>
public static class PageEndpoints
{
    private const string MissingPage = """
        <!doctype html><html lang="en"><meta charset="utf-8"><title>Verify a credential</title>
        <h1>Verify a credential</h1>
        <p>The browser verifier is not published here. Run <code>scripts/publish-verifier.sh</code> (it writes
        <code>dist/verifier</code>), or set <code>REGISTRY_VERIFIER_DIR</code> to a published copy, and restart the registry.
        Meanwhile <code>POST /verify</code> and <code>registry verify</code> run the same checks.</p>
        """;

    public static WebApplication MapPage(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<RegistryOptions>();
        var chain = app.Services.GetRequiredService<RegistryChain>();
        var folder = VerifierFolder(options, app.Environment.ContentRootPath);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Answers hold learners' data (credentials, statuses, verdicts): no browser or proxy keeps them.
            // The page's own files, which hold none, say otherwise below.
            headers.CacheControl = "no-store";
            await next();
        });
        if (folder is not null)
        {
            var files = new PhysicalFileProvider(folder);
            var types = new FileExtensionContentTypeProvider();
            types.Mappings[".wasm"] = "application/wasm";
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                ContentTypeProvider = types,
                OnPrepareResponse = file =>
                {
                    file.Context.Response.Headers.CacheControl = "no-cache";
                    Protect(file.Context.Response, options, chain);
                },
            });
        }
        else
        {
            app.Logger.LogWarning("The browser verifier is not published: / shows how to publish it (scripts/publish-verifier.sh or REGISTRY_VERIFIER_DIR).");
            app.MapGet("/", (HttpResponse response) =>
                {
                    Protect(response, options, chain);
                    return TypedResults.Content(MissingPage, "text/html; charset=utf-8");
                }).ExcludeFromDescription();
        }

        app.MapGet("/trusted.json", async Task<ContentHttpResult> (RegistryChain chain, CancellationToken ct) =>
            {
                var own = await chain.TryGetAsync(TimeSpan.FromSeconds(3), ct);
                var entries = new List<TrustedRegistry>(options.TrustedRegistries);
                // Last, so that it wins where REGISTRY_TRUSTED names it too.
                if (own is not null) entries.Add(new TrustedRegistry(own.ChainId, own.Contract, OwnRpcUrl(options, own.ChainId), options.Name));
                return TypedResults.Content(TrustedRegistry.ToJson(entries).ToJsonString(), "application/json");
            })
            // A file of the page (as trusted.json is in a static copy), not an API route: left out of the API reference.
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The page's Content-Security-Policy: its own scripts and WebAssembly, nothing inline, no frames
    /// around it, and requests only to itself and the nodes its trusted.json lists. A node a visitor
    /// types in is refused by the browser on this page (the page says so); a static copy of the page
    /// served without this policy reads any node.
    /// </summary>
    internal static string SecurityPolicy(RegistryOptions options, RegistryChain chain)
    {
        var nodes = options.TrustedRegistries.Select(t => t.RpcUrl)
            .Append(OwnRpcUrl(options, chain.Current?.ChainId))
            .OfType<Uri>().Select(HttpUrl.Origin).Distinct(StringComparer.OrdinalIgnoreCase);
        return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
            $"connect-src 'self' {string.Join(' ', nodes)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static void Protect(HttpResponse response, RegistryOptions options, RegistryChain chain)
    {
        response.Headers.ContentSecurityPolicy = SecurityPolicy(options, chain);
        response.Headers.XFrameOptions = "DENY";
    }

    /// <summary>REGISTRY_VERIFIER_DIR; else <c>verifier</c> beside the program; else <c>dist/verifier</c> under the working folder.</summary>
    internal static string? VerifierFolder(RegistryOptions options, string contentRoot)
    {
        string[] candidates = options.VerifierDir is { } set
            ? [Path.GetFullPath(set, contentRoot)]
            : [Path.Combine(AppContext.BaseDirectory, "verifier"), Path.Combine(contentRoot, "dist", "verifier")];
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "index.html")));
    }

    /// <summary>
    /// The node the page reads this registry's contract through: REGISTRY_PUBLIC_RPC_URL, else its own
    /// node on the local chain (elsewhere the registry's URL may carry a provider's key). While the chain
    /// is not reached yet (<paramref name="chainId"/> null), its own node, so that the policy the page
    /// loads with does not refuse the node a later trusted.json names.
    /// </summary>
    private static Uri? OwnRpcUrl(RegistryOptions options, long? chainId) =>
        options.PublicRpcUrl ?? (chainId is null or DevelopmentChain.ChainId ? options.RpcUrl : null);
}
