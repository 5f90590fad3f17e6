using Microsoft.Extensions.Options;
using Registry.Settings;

namespace Registry.Api;

/// <summary>
/// Binds <see cref="RegistryOptions"/> to the <c>Registry</c> section, with the REGISTRY_* variables
/// served as its keys, and judges them at start: a registry that refuses its settings exits 2 with a
/// message that names each bad one as it was set.
/// </summary>
public static class RegistrySettings
{
    public const int RefusedExitCode = 2;

    public static WebApplicationBuilder AddRegistrySettings(this WebApplicationBuilder builder)
    {
        // The shipped defaults (appsettings.json beside the program: framework warnings, the registry's own events,
        // no line per request) apply wherever it is started from; appsettings.json of the working folder and the environment still win.
        var shippedDefaults = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true, ReloadOnChange = false,
        };
        shippedDefaults.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, shippedDefaults);
        builder.Configuration.AddRegistryVariables();

        builder.Services.AddOptions<RegistryOptions>().BindConfiguration(RegistryVariables.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>();
        builder.Services.AddSingleton(s => s.GetRequiredService<IOptions<RegistryOptions>>().Value);

        var urls = builder.Configuration.GetSection(RegistryVariables.Section)[nameof(RegistryOptions.Urls)];
        builder.WebHost.UseUrls(urls ?? new RegistryOptions().Urls);
        return builder;
    }

    /// <summary>Runs the start's validation now: null when the settings can work, else what is wrong with them.</summary>
    public static string? Refusal(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return string.Join(" ", e.Failures);
        }
        catch (InvalidOperationException) when (SettingRules.Unreadable(services.GetRequiredService<IConfiguration>(), typeof(RegistryOptions)).ToList() is { Count: > 0 } unreadable)
        {
            // The binder stops at the first value it cannot convert; the rules say what each must be.
            return string.Join(" ", unreadable);
        }
    }

    /// <summary>The problems of the settings in <paramref name="configuration"/> (its REGISTRY_* variables included) as the start judges them; none when they can work.</summary>
    public static IReadOnlyList<string> Judge(IConfigurationManager configuration)
    {
        configuration.AddRegistryVariables();
        var unreadable = SettingRules.Unreadable(configuration, typeof(RegistryOptions)).ToList();
        if (unreadable.Count > 0) return unreadable;
        var options = configuration.GetSection(RegistryVariables.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        var result = new RegistryOptionsValidator(configuration).Validate(null, options);
        return result.Failed ? result.Failures.ToList() : [];
    }

    private sealed class RegistryOptionsValidator(IConfiguration configuration) : IValidateOptions<RegistryOptions>
    {
        public ValidateOptionsResult Validate(string? name, RegistryOptions options)
        {
            var problems = SettingRules.Problems(configuration, options).ToList();
            if (options.TopupAmount is null && configuration.GetSection(RegistryVariables.Section)[nameof(RegistryOptions.TopupBelow)] is not null)
                problems.Add($"{RegistryVariables.NameAsSet(configuration, nameof(RegistryOptions.TopupBelow))} needs " +
                    $"{RegistryVariables.NameAsSet(configuration, nameof(RegistryOptions.TopupAmount))}: how much the operator sends.");
            if (options.VerifyMibPerMinute is > 0 and < 4)
                problems.Add($"{RegistryVariables.NameAsSet(configuration, nameof(RegistryOptions.VerifyMibPerMinute))}='{options.VerifyMibPerMinute}' " +
                    "must be 0 (no limit) or at least 4, the largest body /verify reads.");
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
