using System.Text.Json;

namespace Registry.Credentials;

/// <summary>
/// Well-formed JSON with values that canonical JSON cannot keep exactly as sent: an escaped lone
/// surrogate, or a number that no IEEE 754 double holds. <see cref="Errors"/> names each one by its path.
/// </summary>
public sealed class InexactJsonException(ValidationErrors errors)
    : JsonException($"Some values cannot be hashed exactly as sent: {errors}")
{
    public ValidationErrors Errors { get; } = errors;
}
