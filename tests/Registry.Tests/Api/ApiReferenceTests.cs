using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// The OpenAPI document against the routes the real app maps: every route, found in its endpoint data
/// source rather than listed here, must be in the document with what a client needs to call it. The
/// only routes left out are those excluded from the description on purpose (pages and files), and those
/// answer GET alone.
/// </summary>
public sealed partial class ApiReferenceTests : IAsyncLifetime
{
    // No node: the document does not depend on the chain, and the registry starts without one.
    private readonly RegistryApp _app = new(new Uri($"http://127.0.0.1:{FreePorts.Next()}"));
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        var response = await _app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void The_bearer_scheme_is_declared()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiReference.BearerScheme);
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public void Every_mapped_route_is_in_the_document_with_summary_bodies_example_answers_and_errors()
    {
        var routes = MappedRoutes();
        Assert.True(routes.Count >= 20, $"only {routes.Count} routes found");
        var problems = new List<string>();
        foreach (var route in routes)
        {
            var name = $"{route.Method} {route.Path}";
            if (!_document.GetProperty("paths").TryGetProperty(route.Path, out var path)
                || !path.TryGetProperty(route.Method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{name}: not in the document");
                continue;
            }
            problems.AddRange(Check(route, operation).Select(p => $"{name}: {p}"));
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// The error answers a route's handler can give come from its <c>Results&lt;…&gt;</c> type (a
    /// <c>Problem&lt;Unknown&gt;</c> is a 404), not from a list beside it: each is in the document, as a
    /// problem document, and a 400 of invalid fields as a validation problem with its <c>errors</c>.
    /// </summary>
    [Theory]
    [InlineData("post", "/issuers", "400 401 403 409", true)]
    [InlineData("post", "/issuers/{id}/remove", "400 401 403 404 409", true)]
    [InlineData("get", "/issuers/{id}", "400 404", false)]
    [InlineData("post", "/auditors", "400 401 403", true)]
    [InlineData("post", "/credentials/{id}/revoke", "400 401 403 404 409", true)]
    [InlineData("post", "/credentials/revoke", "400 401 403 404 409", true)]
    [InlineData("post", "/issuers/{id}/revoke", "400 401 403 404 409", true)]
    [InlineData("post", "/credentials", "400 401 403", true)]
    [InlineData("post", "/credentials/bulk", "400 401 403", true)]
    [InlineData("get", "/credentials/{id}", "400 404", false)]
    [InlineData("get", "/credentials/{id}/credential.json", "400 404 409", false)]
    [InlineData("post", "/batches", "401 403 409", false)]
    [InlineData("post", "/batches/{id}/reseal", "400 401 403 404 409", false)]
    [InlineData("get", "/batches", "400 401 403", true)]
    [InlineData("get", "/batches/{id}", "400 404", false)]
    [InlineData("get", "/audit/events", "400 503", true)]
    [InlineData("get", "/audit/revocations", "400 404 503", true)]
    [InlineData("get", "/audit/batches/{id}", "400 404 503", false)]
    [InlineData("post", "/qualifications", "400 401 403", true)]
    [InlineData("get", "/qualifications/{id}", "400 404", false)]
    [InlineData("post", "/qualifications/{id}/awards", "400 401 403 404 503", true)]
    [InlineData("get", "/audit/credentials/{id}", "400 401 403 404", false)]
    [InlineData("get", "/audit/credentials/{id}/dependants", "400 401 403 404", false)]
    [InlineData("post", "/offers", "400 401 403", true)]
    [InlineData("get", "/offers/{id}", "401 403 404", false)]
    [InlineData("post", "/exchanges/{id}", "400 404 409", false)]
    [InlineData("get", "/exchanges/{id}/credential.json", "404 409", false)]
    public void A_route_s_error_answers_are_in_the_document(string method, string path, string statuses, bool refusesFields)
    {
        var responses = _document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        foreach (var status in statuses.Split(' '))
            Assert.True(responses.TryGetProperty(status, out var response) && HasSchema(response, "application/problem+json"),
                $"{method} {path}: no {status} problem document in {responses}");
        if (refusesFields) Assert.EndsWith("HttpValidationProblemDetails", SchemaOf(responses.GetProperty("400")));
    }

    /// <summary>
    /// A 404 or 409 in the document comes from a refusal in the handler's type, never from a declaration
    /// beside it, which could outlive the refusal it stood for (or be forgotten for a new one).
    /// </summary>
    [Fact]
    public void Every_404_and_409_in_the_document_comes_from_a_handler_s_type()
    {
        var problems = new List<string>();
        var refusals = 0;
        foreach (var route in MappedRoutes())
        {
            if (!_document.GetProperty("paths").TryGetProperty(route.Path, out var path) || !path.TryGetProperty(route.Method.ToLowerInvariant(), out var operation))
                continue;
            var typed = RefusalStatusesOf(route.Handler);
            refusals += typed.Count;
            foreach (var status in new[] { StatusCodes.Status404NotFound, StatusCodes.Status409Conflict })
                if (operation.GetProperty("responses").TryGetProperty(status.ToString(), out _) && !typed.Contains(status))
                    problems.Add($"{route.Method} {route.Path} documents {status}, which no refusal in its handler's type answers");
        }
        Assert.True(refusals >= 20, $"only {refusals} refusals found in the handlers' types");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>The statuses of the refusals a handler's <c>Results&lt;…&gt;</c> names: each <c>Problem&lt;TRefusal&gt;</c> in it.</summary>
    private static HashSet<int> RefusalStatusesOf(MethodInfo? handler)
    {
        var type = handler?.ReturnType;
        if (type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(Task<>)) type = type.GetGenericArguments()[0];
        var results = type is { IsGenericType: true } ? type.GetGenericArguments() : [];
        return results.Where(r => r.IsGenericType && r.GetGenericTypeDefinition() == typeof(Problem<>))
            .Select(r => Problem.StatusOf(r.GetGenericArguments()[0])).ToHashSet();
    }

    /// <summary>The name of a problem answer's schema, followed through its reference.</summary>
    private static string SchemaOf(JsonElement response) =>
        response.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()!;

    [Fact]
    public void Only_pages_and_files_are_left_out_of_the_document()
    {
        var excluded = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            .ToList();
        Assert.Contains(excluded, e => PathOf(e) == "/openapi/{documentName}.json");
        foreach (var endpoint in excluded)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            Assert.True(methods.Count > 0 && methods.All(m => m is "GET" or "HEAD"),
                $"{endpoint.DisplayName} ({PathOf(endpoint)}) is left out of the API reference but answers {string.Join(", ", methods)}");
        }
    }

    [Fact]
    public async Task The_browsable_reference_is_served()
    {
        var response = await _app.CreateClient().GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The reference names every status a credential can have, as GET /credentials/{id} answers them.</summary>
    [Theory]
    [InlineData("pending")]
    [InlineData("batched")]
    [InlineData("anchored")]
    [InlineData("revoking")]
    [InlineData("revoked")]
    [InlineData("failed")]
    [InlineData("voided")]
    public void The_reference_lists_each_credential_status(string status)
    {
        var summary = _document.GetProperty("paths").GetProperty("/credentials/{id}").GetProperty("get").GetProperty("summary").GetString()!;
        Assert.Matches($@"\b{status}\b", summary);
    }

    /// <summary>Scalar's own offers (its client app, its developer toolbar, its AI agent and MCP server) and its telemetry are off.</summary>
    [Fact]
    public async Task The_browsable_reference_offers_no_services_of_its_vendor()
    {
        var page = await _app.CreateClient().GetStringAsync("/scalar/v1");
        // The page hands its configuration to Scalar's script as one JSON object: initialize(path, flag, {…}, …).
        var configuration = System.Text.RegularExpressions.Regex.Match(page, @"initialize\(\s*'[^']*',\s*\w+,\s*(\{.*\}),", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(configuration.Success, page);
        var options = JsonDocument.Parse(configuration.Groups[1].Value).RootElement;

        Assert.True(options.GetProperty("hideClientButton").GetBoolean());
        Assert.Equal("never", options.GetProperty("showDeveloperTools").GetString());
        Assert.True(options.GetProperty("agent").GetProperty("disabled").GetBoolean());
        Assert.True(options.GetProperty("mcp").GetProperty("disabled").GetBoolean());
        Assert.False(options.GetProperty("telemetry").GetBoolean());
    }

    [Fact]
    public void Numbers_are_documented_as_numbers_alone()
    {
        // The answers write numbers as JSON numbers, and requests must send them so: a schema that also allowed a string
        // would have generated clients send and expect strings.
        var numbers = 0;
        var strings = new List<string>();
        void Walk(JsonElement node, string at)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
                {
                    var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                    if (types.Contains("integer") || types.Contains("number"))
                    {
                        numbers++;
                        if (types.Contains("string")) strings.Add(at);
                    }
                }
                else if (type.ValueKind == JsonValueKind.String && type.GetString() is "integer" or "number") numbers++;
                foreach (var property in node.EnumerateObject()) Walk(property.Value, $"{at}/{property.Name}");
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Walk(item, $"{at}/{i++}");
            }
        }
        Walk(_document, "");
        Assert.True(numbers >= 20, $"only {numbers} numbers in the document");
        Assert.True(strings.Count == 0, "numbers that may be strings:\n" + string.Join('\n', strings));
    }

    [Fact]
    public async Task The_verify_example_is_a_well_formed_portable_credential()
    {
        var example = _document.GetProperty("paths").GetProperty("/verify").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        var response = await _app.CreateClient().PostAsync("/verify", new StringContent(example.GetRawText(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        // Well formed in every field; its hashes are placeholders, so the digest is where it stops.
        Assert.Equal("passed", checks["format"]);
        Assert.Equal("failed", checks["digest"]);
    }

    private static IEnumerable<string> Check(Route route, JsonElement operation)
    {
        if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            yield return "no summary";

        var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        // A badge answers with an image; everything else with JSON.
        if (!responses.Any(r => r.Key.StartsWith('2') && new[] { "application/json", "image/png", "image/svg+xml" }.Any(type => HasSchema(r.Value, type))))
            yield return "no success response with a JSON schema";
        var errors = responses.Where(r => r.Key[0] is '4' or '5').ToList();
        if (errors.Count == 0) yield return "no error responses";
        foreach (var (status, response) in errors)
            if (!HasSchema(response, "application/problem+json")) yield return $"its {status} is not a problem document";

        var required = new List<string>();
        if (route.TakesBody)
        {
            required.AddRange(["400", "413", "415"]);
            if (!operation.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json))
                yield return "takes a body, but the document has no JSON request body";
            else
            {
                if (!json.TryGetProperty("schema", out _)) yield return "no request body schema";
                if (!json.TryGetProperty("example", out var example) || example.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    yield return "no example request body";
            }
        }
        var bearer = operation.TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(s => s.TryGetProperty(ApiReference.BearerScheme, out _));
        if (route.Secured)
        {
            required.AddRange(["401", "403"]);
            if (!bearer) yield return "needs a key, but has no bearer requirement";
        }
        else if (bearer) yield return "open to anyone, but the document asks for a key";
        if (route.RateLimited) required.Add("429");
        foreach (var status in required.Where(s => !responses.ContainsKey(s)))
            yield return $"no {status} response";
    }

    private static bool HasSchema(JsonElement response, string mediaType) =>
        response.TryGetProperty("content", out var content) && content.TryGetProperty(mediaType, out var media) && media.TryGetProperty("schema", out _);

    private sealed record Route(string Method, string Path, bool TakesBody, bool Secured, bool RateLimited, MethodInfo? Handler);

    /// <summary>Every method and path the app maps, except those excluded from the description.</summary>
    private List<Route> MappedRoutes() =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"]).Select(method => new Route(
                method,
                PathOf(e),
                e.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 },
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && e.Metadata.GetMetadata<IAllowAnonymous>() is null,
                e.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null,
                e.Metadata.OfType<MethodInfo>().FirstOrDefault())))
            .ToList();

    /// <summary>The path as OpenAPI writes it: no trailing slash, no route constraints.</summary>
    private static string PathOf(RouteEndpoint endpoint)
    {
        var path = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText ?? "", "}").Trim('/');
        return path;
    }

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex RouteConstraint();
}
