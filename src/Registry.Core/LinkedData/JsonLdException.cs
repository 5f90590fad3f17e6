namespace Registry.LinkedData;

/// <summary>
/// A JSON-LD document that cannot be processed. <see cref="Code"/> is the error code of the JSON-LD
/// 1.1 Processing Algorithms (<c>invalid term definition</c>, <c>loading remote context failed</c>, …)
/// or, in safe mode, the name jsonld.js gives the event that would otherwise have dropped something
/// silently (<c>invalid property</c>, <c>relative @id reference</c>, …); <see cref="Subject"/> is then
/// the term, property or value concerned.
/// </summary>
public sealed class JsonLdException(string code, string message, string? subject = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Subject { get; } = subject;

    /// <summary>Whether this error was raised by safe mode rather than by the algorithms themselves.</summary>
    public bool IsSafeModeError { get; init; }
}
