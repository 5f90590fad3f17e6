using System.Text.Json.Serialization;
using Registry.Api;
using Registry.Api.Anchoring;
using Registry.Api.Audit;
using Registry.Api.Auditors;
using Registry.Api.Credentials;
using Registry.Api.Health;
using Registry.Api.Index;
using Registry.Api.Issuers;
using Registry.Api.Page;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Revocation;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Api.Verification;
using Registry.Chain;
using Registry.Verification;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
// The shipped defaults (appsettings.json beside the program: framework warnings, the registry's own events,
// no line per request) apply wherever it is started from; settings from the environment still win.
var shippedDefaults = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
{
    Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true, ReloadOnChange = false,
};
shippedDefaults.ResolveFileProvider();
builder.Configuration.Sources.Insert(0, shippedDefaults);
RegistryOptions options;
try
{
    options = RegistryOptions.FromConfiguration(builder.Configuration);
}
catch (Exception e) when (e is RegistrySettingsException or FormatException)
{
    Console.Error.WriteLine($"The registry cannot start: {e.Message}");
    return 2;
}
builder.WebHost.UseUrls(builder.Configuration["REGISTRY_URLS"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:5080");
// Routes that read more declare it (BodyLimits); routing raises Kestrel's limit for them alone.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodyLimits.Small);

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => new RegistryDatabase(options.DataDir));
builder.Services.AddSingleton<IssuerKeyring>();
builder.Services.AddSingleton<RegistryChain>();
builder.Services.AddSingleton<IssuerService>();
builder.Services.AddSingleton<IssuerAccounts>();
builder.Services.AddSingleton(FeePolicy.FromGwei(options.MaxFeeGwei));
builder.Services.AddSingleton<IssuerFunding>();
builder.Services.AddSingleton<RevocationService>();
builder.Services.AddSingleton<CredentialStore>();
builder.Services.AddSingleton<BatchTrees>();
builder.Services.AddSingleton<BatchSealer>();
builder.Services.AddSingleton<IssuanceService>();
builder.Services.AddSingleton<CredentialViews>();
builder.Services.AddSingleton<ITrustedRegistries, RegistryTrust>();
builder.Services.AddSingleton(s => new CredentialVerifier(s.GetRequiredService<ITrustedRegistries>(), s.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<ChainFollower>();
builder.Services.AddHostedService(s => s.GetRequiredService<ChainFollower>());
builder.Services.AddSingleton<IAnchoringChain, NodeAnchoringChain>();
builder.Services.AddSingleton<AnchorSender>();
builder.Services.AddSingleton<AnchoringService>();
builder.Services.AddHostedService(s => s.GetRequiredService<AnchoringService>());

builder.Services.AddRegistryAuthentication();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    o.SerializerOptions.MaxDepth = 64;
    // Credentials carry names in every script; keep them readable (the answers are JSON, never HTML).
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
builder.Services.AddRateLimiter(limiter => VerifyLimits.AddRequestPolicy(limiter, options));
builder.Services.AddSingleton<VerifyLimits>();
builder.Services.AddApiReference();

var app = builder.Build();
try
{
    foreach (var loosened in DataFolder.Secure(options.DataDir))
        app.Logger.LogWarning("Other users could read {Path} in the data folder: now readable by the registry's user alone", loosened);
}
catch (UnauthorizedAccessException e)
{
    Console.Error.WriteLine($"The registry cannot start: other users may read its data folder, and it cannot change that ({e.Message}). "
        + $"Make {Path.GetFullPath(options.DataDir)} and everything in it belong to the user that runs the registry, the folder 0700 and its files 0600.");
    return 1;
}
// The credential store reads its logs now, not at the first request: damage it cannot explain stops the registry here.
try
{
    app.Services.GetRequiredService<CredentialStore>();
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"The registry cannot start: {e.Message} Restore the data folder from a backup.");
    return 1;
}
KeyDirectoryLoader.Load(app.Services.GetRequiredService<ApiKeyDirectory>(), app.Services.GetRequiredService<RegistryDatabase>(), options, app.Logger);

app.UseTrustedProxies(options.TrustedProxies);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseBodyLimits();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapPage();
app.MapHealth();
app.MapIssuers();
app.MapAuditors();
app.MapCredentials();
app.MapBatches();
app.MapRevocation();
app.MapAudit();
app.MapVerification();

// Settings that cannot work stop the registry here, with a message that says what to set; a node
// that cannot be reached is an outage: the registry starts degraded and keeps trying.
if (!await app.Services.GetRequiredService<RegistryChain>().CheckAtStartAsync(app.Logger)) return 1;

app.Run();
return Environment.ExitCode;

public partial class Program;
