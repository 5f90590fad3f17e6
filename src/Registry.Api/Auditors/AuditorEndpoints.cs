using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Auditors;

public sealed record CreateAuditorRequest(string? Name);

public sealed record CreatedAuditor(string Id, string ApiKey);

public static class AuditorEndpoints
{
    public static IEndpointRouteBuilder MapAuditors(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/auditors").WithTags("Auditors").RequireAuthorization(Policies.Admin)
            .MapPost("/", Results<Created<CreatedAuditor>, Problem<Invalid>> (CreateAuditorRequest request, IAuditorStore auditors, ApiKeyDirectory keys,
                TimeProvider clock) =>
            {
                var name = request.Name?.Trim();
                if (string.IsNullOrEmpty(name) || name.Length > 128)
                    return Problem.Of(new Invalid("The auditor cannot be created.", "/name", "name is required, at most 128 characters."));
                var apiKey = ApiKeyDirectory.NewKey();
                var auditor = new AuditorEntity
                {
                    Id = Guid.NewGuid().ToString(), Name = name, ApiKeyHash = ApiKeyDirectory.Hash(apiKey), CreatedAt = clock.GetUtcNow().UtcDateTime,
                };
                auditors.Add(auditor);
                keys.Register(auditor.ApiKeyHash, new KeyHolder(Roles.Auditor, auditor.Id));
                return TypedResults.Created($"/auditors/{auditor.Id}", new CreatedAuditor(auditor.Id, apiKey));
            })
            .WithSummary("Create an auditor key (shown once).")
            .WithRequestExample(new CreateAuditorRequest("Accreditation Council"))
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return routes;
    }
}
