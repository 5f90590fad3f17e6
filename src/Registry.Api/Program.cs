using Registry.Api;
using Registry.Api.Anchoring;
using Registry.Api.Audit;
using Registry.Api.Auditors;
using Registry.Api.Credentials;
using Registry.Api.Health;
using Registry.Api.Issuers;
using Registry.Api.Page;
using Registry.Api.Problems;
using Registry.Api.Qualifications;
using Registry.Api.Reference;
using Registry.Api.Revocation;
using Registry.Api.Security;
using Registry.Api.Storage;
using Registry.Api.StatusLists;
using Registry.Api.Verification;
using Registry.Api.Offers;
using Registry.Api.VcApi;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistrySettings();
builder.AddProblemAnswers();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRegistryStorage();
builder.Services.AddAnchoring();
builder.Services.AddIssuers();
builder.Services.AddCredentials();
builder.Services.AddQualifications();
builder.Services.AddStatusLists();
builder.Services.AddVerification();
builder.Services.AddVcApi();
builder.Services.AddOffers();
builder.Services.AddRegistryAuthentication();
builder.Services.AddApiReference();

var app = builder.Build();
// Settings that cannot be read or break their rules stop the registry here, each named as it was set.
if (RegistrySettings.Refusal(app.Services) is { } refusal)
{
    Console.Error.WriteLine($"The registry cannot start: {refusal}");
    return RegistrySettings.RefusedExitCode;
}
var options = app.Services.GetRequiredService<RegistryOptions>();
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
// The stores open now, not at the first request: damage they cannot explain stops the registry here.
try
{
    app.Services.GetRequiredService<IRegistryStorage>();
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"The registry cannot start: {e.Message} Restore the data folder from a backup.");
    return 1;
}
catch (StoreUnavailableException e)
{
    Console.Error.WriteLine($"The registry cannot start: {e.Message}");
    return 1;
}
KeyDirectoryLoader.Load(app.Services.GetRequiredService<ApiKeyDirectory>(), app.Services.GetRequiredService<IIssuerStore>(),
    app.Services.GetRequiredService<IAuditorStore>(), options, app.Logger);

app.UseTrustedProxies(options.TrustedProxyNetworks);
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
app.MapQualifications();
app.MapBatches();
app.MapRevocation();
app.MapStatusLists();
app.MapAudit();
app.MapStackAudit();
app.MapVerification();
app.MapVcApi();
app.MapOffers();

// Settings that cannot work on the chain stop the registry here, with a message that says what to set;
// a node that cannot be reached is an outage: the registry starts degraded and keeps trying.
if (!await app.Services.GetRequiredService<RegistryChain>().CheckAtStartAsync(app.Logger)) return 1;

app.Run();
return Environment.ExitCode;

public partial class Program;
