using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Registry.Api.Reference;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (and its reference at <c>/scalar/v1</c>). Each route
/// declares its summary, answers and errors where it is mapped; this adds what holds for all of them:
/// the bearer scheme and its requirement on every route that needs a key, the example body a route
/// declares with <see cref="WithRequestExample"/>, the 415 problem of every route that reads JSON (for
/// a body of another media type), and the 500 problem that any route may answer.
/// A route left out of the document (<c>ExcludeFromDescription</c>) is a page or a file, never an API
/// route; a test holds every other mapped route to this.
/// </summary>
public static class ApiReference
{
    public const string BearerScheme = "Bearer";

    private static readonly JsonSerializerOptions ExampleJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static IServiceCollection AddApiReference(this IServiceCollection services) => services
        // The browsable reference at /scalar/v1 is this registry's alone: none of Scalar's own
        // services are offered on it (its API client app, its developer toolbar with deployment and
        // SDK offers, its AI agent and MCP server), and it reports nothing to Scalar.
        .Configure<Scalar.AspNetCore.ScalarOptions>(scalar =>
        {
            scalar.HideClientButton = true;
            scalar.ShowDeveloperTools = Scalar.AspNetCore.DeveloperToolsVisibility.Never;
            scalar.Agent = new Scalar.AspNetCore.ScalarAgentOptions { Disabled = true };
            scalar.Mcp = new Scalar.AspNetCore.ScalarMcpOptions { Disabled = true };
            scalar.Telemetry = false;
        })
        .AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Credential Registry";
            document.Info.Description = "Issue micro-credentials, anchor them in batches on Ethereum, revoke and verify them. " +
                "Routes marked with a lock need `Authorization: Bearer <api key>`: the admin's key, an issuer's or an auditor's. " +
                "Every error is an RFC 9457 problem document.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "API key",
                Description = "An API key: the admin's (REGISTRY_ADMIN_KEY, or data/admin.key), or one that POST /issuers or POST /auditors showed once.",
            };
            return Task.CompletedTask;
        });
        // A field without a value is left out of an answer (the serializer's WhenWritingNull), unless it is marked to be
        // written always: such a field is not required, whatever the generator reads from the record's constructor.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (schema.Required is { Count: > 0 } required)
                foreach (var property in context.JsonTypeInfo.Properties)
                    if (MayBeLeftOut(property)) required.Remove(property.Name);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                var who = policies.Count > 0 ? string.Join(", ", policies) : "any role";
                operation.Description = $"Needs the bearer API key of: {who}." + (operation.Description is { Length: > 0 } d ? " " + d : "");
            }

            if (metadata.OfType<RequestExample>().LastOrDefault() is { } example
                && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json))
                json.Example = example.Body.DeepClone();

            operation.Responses ??= [];
            // A route that answers one status with bodies of several types (POST /verify: a credential's verdict or a
            // presentation's) is documented with all of them, where the generator keeps one.
            foreach (var answers in metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.Type is not null && m.Type != typeof(void))
                         .GroupBy(m => m.StatusCode).Where(g => g.Select(m => m.Type).Distinct().Count() > 1))
                if (operation.Responses.TryGetValue(answers.Key.ToString(CultureInfo.InvariantCulture), out var answer)
                    && answer.Content?.TryGetValue("application/json", out var body) == true)
                {
                    var choices = new List<IOpenApiSchema>();
                    foreach (var type in answers.Select(m => m.Type!).Distinct())
                        choices.Add(await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
                    body.Schema = new OpenApiSchema { OneOf = choices };
                }
            var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
            if (operation.RequestBody is not null)
                operation.Responses.TryAdd("415", Problem(problem, "The body is not JSON (send application/json)."));
            operation.Responses.TryAdd("500", Problem(problem, "The registry failed to handle the request; the failure was logged."));
        });
    });

    /// <summary>Whether answers leave this field out while it has no value: it may be null, and is not marked to be written always.</summary>
    private static bool MayBeLeftOut(JsonPropertyInfo property)
    {
        var ignore = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().FirstOrDefault()?.Condition ?? property.Options.DefaultIgnoreCondition;
        return ignore switch
        {
            JsonIgnoreCondition.WhenWritingNull => property.IsGetNullable,
            JsonIgnoreCondition.WhenWritingDefault or JsonIgnoreCondition.Always => true,
            _ => false,
        };
    }

    private static OpenApiResponse Problem(OpenApiSchema schema, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
    };

    /// <summary>Declares the example body that the OpenAPI document shows for this route's request.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new RequestExample(JsonSerializer.SerializeToNode(example, ExampleJson)!));

    private sealed record RequestExample(JsonNode Body);
}
