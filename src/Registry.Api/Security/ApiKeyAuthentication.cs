using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Registry.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the key directory. The framework's
/// two lines per refused request are not written; <see cref="RefusedKeyLog"/> counts refusals instead.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    ApiKeyDirectory keys,
    RefusedKeyLog refusals,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string IdClaim = "registry:id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Refuse("The Authorization header must be 'Bearer <api key>'.");
        var holder = await keys.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (holder is null) return Refuse("The API key sent is not one this registry issued; check the key.");

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Role, holder.Role), new Claim(IdClaim, holder.Id)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Refuse(string reason)
    {
        refusals.Record(ClientAddresses.Of(Context), reason);
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        // The authentication middleware keeps only successful results; the handler remembers this request's refusal.
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required",
                Detail = failure ?? "No API key was sent: send one as 'Authorization: Bearer <api key>'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed",
                Detail = $"This key's role ({Context.User.FindFirstValue(ClaimTypes.Role)}) may not use {Request.Method} {Request.Path}.",
            },
        });
    }
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Issuer = "issuer";
    public const string Auditor = "auditor";
    public const string IssuerOrAuditor = "issuer-or-auditor";

    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<RefusedKeyLog>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Issuer, p => p.RequireRole(Roles.Issuer))
            .AddPolicy(Auditor, p => p.RequireRole(Roles.Auditor, Roles.Admin))
            .AddPolicy(IssuerOrAuditor, p => p.RequireRole(Roles.Issuer, Roles.Auditor, Roles.Admin));
        return services;
    }

    /// <summary>The holder of the request's key.</summary>
    public static KeyHolder Holder(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue(ApiKeyAuthenticationHandler.IdClaim) ?? "");
}
