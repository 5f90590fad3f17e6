namespace Registry.Api.Problems;

/// <summary>A request the registry refuses, rendered as an RFC 9457 problem document.</summary>
public sealed class ProblemException(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemException Validation(string detail, IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "The request has invalid fields", detail, errors);

    public static ProblemException NotFound(string what) => new(StatusCodes.Status404NotFound, "Not found", $"{what} was not found.");

    public static ProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
}
