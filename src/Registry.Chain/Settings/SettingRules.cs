using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Registry.Settings;

/// <summary>
/// Judges bound settings by the rules their properties carry (<see cref="RangeAttribute"/>,
/// <see cref="HttpUrlAttribute"/>, …), whose error message says what the value must be: a bad one
/// reads <c>REGISTRY_MAX_BATCH_SIZE='lots' must be a whole number from 1 to 1048576.</c>
/// </summary>
public static class SettingRules
{
    /// <summary>Every setting that breaks its rule, named as it was set.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration, object settings)
    {
        foreach (var property in Settable(settings.GetType()))
        {
            var value = property.GetValue(settings);
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
                if (!rule.IsValid(value))
                    yield return Problem(configuration, property, rule);
        }
    }

    /// <summary>
    /// The settings that cannot even be read as their type (a word where a number belongs), which the
    /// binder refuses before any rule runs; named as they were set, with what they must be.
    /// </summary>
    public static IEnumerable<string> Unreadable(IConfiguration configuration, Type settingsType)
    {
        var section = configuration.GetSection(RegistryVariables.Section);
        foreach (var property in Settable(settingsType))
        {
            if (section[property.Name] is not { } raw) continue;
            if (ReadsAs(property.PropertyType, raw)) continue;
            yield return property.GetCustomAttribute<ValidationAttribute>() is { } rule
                ? Problem(configuration, property, rule)
                : $"{RegistryVariables.NameAsSet(configuration, property.Name)}='{raw}' is not a {property.PropertyType.Name}.";
        }
    }

    private static string Problem(IConfiguration configuration, PropertyInfo property, ValidationAttribute rule)
    {
        var raw = configuration.GetSection(RegistryVariables.Section)[property.Name];
        var name = RegistryVariables.NameAsSet(configuration, property.Name);
        return $"{name}{(raw is null ? "" : $"='{raw}'")} must be {rule.FormatErrorMessage(name)}.";
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static bool ReadsAs(Type type, string raw)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(raw);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}

/// <summary>An absolute http or https URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute() : ValidationAttribute("an absolute http(s) URL")
{
    public override bool IsValid(object? value) => value is null || value is Uri url && Web.HttpUrl.TryParse(url.OriginalString, out _);
}

/// <summary>A 0x-prefixed contract address of 20 bytes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ContractAddressAttribute() : ValidationAttribute("a 0x-prefixed 20-byte contract address")
{
    public override bool IsValid(object? value) => value is null || value is string address && Identity.IssuerDid.IsAddress(address);
}
