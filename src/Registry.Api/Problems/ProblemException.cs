namespace Registry.Api.Problems;

/// <summary>
/// A request body the registry cannot read: too large, of another media type, empty, not strict JSON.
/// The refusal is found while the body is read, deep in a stream (<see cref="BodyLimits"/>), a parser
/// (<see cref="JsonBody"/>) or the choice of a reader by media type, where no handler can return it, so it is thrown and the pipeline's exception
/// handler writes it as a problem document. Services never throw it: they return refusals
/// (<see cref="Outcomes.Refusal"/>) that their handlers answer.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemException Validation(string detail, IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, Problem.InvalidFieldsTitle, detail, errors);
}
