using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Storage;
using Registry.Credentials;

namespace Registry.Api.Problems;

/// <summary>Ids in a path are taken only in the form the registry writes them (<see cref="RegistryIds"/>); any other is a 400.</summary>
public static class CanonicalIds
{
    public const string GuidExample = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";

    /// <summary>Answers 400 when the route's <c>{id}</c> is not a lowercase GUID.</summary>
    public static TBuilder WithGuidId<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithIdForm(RegistryIds.IsGuid, $"a lowercase GUID with hyphens and no braces, such as {GuidExample}");

    /// <summary>Answers 400 when the route's <c>{id}</c> is not a batch id.</summary>
    public static TBuilder WithBatchId<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithIdForm(RegistryIds.IsBatchId, $"{BatchIds.Length} lowercase hexadecimal digits");

    private static TBuilder WithIdForm<TBuilder>(this TBuilder builder, Func<string, bool> isCanonical, string form) where TBuilder : IEndpointConventionBuilder
    {
        // A handler that refuses invalid fields has declared its 400 already, with a schema that also describes this one (no fields).
        builder.Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == StatusCodes.Status400BadRequest))
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ProblemDetails), ["application/problem+json"]));
        });
        return builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("id") is string id && !isCanonical(id)
                ? TypedResults.Problem($"The id in the path must be {form}.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request")
                : await next(context));
    }
}
