using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;

namespace Registry.Api.Problems;

/// <summary>
/// A refusal answered as an RFC 9457 problem document. Its kind fixes its status, so a handler whose
/// <c>Results&lt;…&gt;</c> names <c>Problem&lt;Unknown&gt;</c> has its 404 in the API reference without declaring it.
/// </summary>
public sealed class Problem<TRefusal>(TRefusal refusal) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider where TRefusal : Refusal
{
    public TRefusal Refusal => refusal;

    public int StatusCode => Problem.StatusOf(typeof(TRefusal));

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    // Written by the problem details service, as the exception handler writes the rest: the same fields (traceId) either way.
    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Problem.DocumentOf(refusal)).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(Problem.StatusOf(typeof(TRefusal)),
            typeof(TRefusal) == typeof(Invalid) ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>The one table of how each kind of refusal is answered, and the handlers' way from an outcome to its answer.</summary>
public static class Problem
{
    public const string InvalidFieldsTitle = "The request has invalid fields";

    public static int StatusOf(Type refusal) =>
        refusal == typeof(Invalid) || refusal == typeof(FailedCheck) ? StatusCodes.Status400BadRequest
        : refusal == typeof(IssuerRemoved) || refusal == typeof(NotPermitted) ? StatusCodes.Status403Forbidden
        : refusal == typeof(Unknown) ? StatusCodes.Status404NotFound
        : typeof(StateConflict).IsAssignableFrom(refusal) ? StatusCodes.Status409Conflict
        : throw new ArgumentException($"{refusal.Name} is not a refusal the API answers.", nameof(refusal));

    public static ProblemDetails DocumentOf(Refusal refusal) => refusal switch
    {
        Invalid { Errors: { } errors } => new HttpValidationProblemDetails(errors.ToDictionary())
            { Status = StatusCodes.Status400BadRequest, Title = InvalidFieldsTitle, Detail = refusal.Detail },
        // The failed check by name, and where: what a client acts on without parsing the detail.
        FailedCheck failed => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest, Title = TitleOf(refusal), Detail = refusal.Detail,
            Extensions = { ["check"] = failed.Check, ["at"] = failed.At },
        },
        // The reason an offer cannot be claimed, by name: what a wallet acts on.
        Offers.OfferClosed closed => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict, Title = TitleOf(refusal), Detail = refusal.Detail, Extensions = { ["reason"] = closed.Reason },
        },
        _ => new ProblemDetails { Status = StatusOf(refusal.GetType()), Title = TitleOf(refusal), Detail = refusal.Detail },
    };

    private static string TitleOf(Refusal refusal) => refusal switch
    {
        Invalid => "Bad request",
        FailedCheck => "Verification failed",
        IssuerRemoved => "Issuer removed",
        NotPermitted => "Forbidden",
        Unknown => "Not found",
        CannotPay => "Issuer account cannot pay",
        Offers.OfferClosed => "Offer cannot be claimed",
        _ => "Conflict",
    };

    public static Problem<TRefusal> Of<TRefusal>(TRefusal refusal) where TRefusal : Refusal => new(refusal);

    public static Results<TOk, Problem<R1>> Answer<T, R1, TOk>(this Outcome<T, R1> outcome, Func<T, TOk> ok)
        where R1 : Refusal where TOk : IResult =>
        outcome.Refusal switch
        {
            R1 r => Of(r),
            _ => ok(outcome.Value!),
        };

    public static Results<TOk, Problem<R1>, Problem<R2>> Answer<T, R1, R2, TOk>(this Outcome<T, R1, R2> outcome, Func<T, TOk> ok)
        where R1 : Refusal where R2 : Refusal where TOk : IResult =>
        outcome.Refusal switch
        {
            R1 r => Of(r),
            R2 r => Of(r),
            _ => ok(outcome.Value!),
        };

    public static Results<TOk, Problem<R1>, Problem<R2>, Problem<R3>> Answer<T, R1, R2, R3, TOk>(this Outcome<T, R1, R2, R3> outcome, Func<T, TOk> ok)
        where R1 : Refusal where R2 : Refusal where R3 : Refusal where TOk : IResult =>
        outcome.Refusal switch
        {
            R1 r => Of(r),
            R2 r => Of(r),
            R3 r => Of(r),
            _ => ok(outcome.Value!),
        };

    public static Results<TOk, Problem<R1>, Problem<R2>, Problem<R3>, Problem<R4>> Answer<T, R1, R2, R3, R4, TOk>(
        this Outcome<T, R1, R2, R3, R4> outcome, Func<T, TOk> ok)
        where R1 : Refusal where R2 : Refusal where R3 : Refusal where R4 : Refusal where TOk : IResult =>
        outcome.Refusal switch
        {
            R1 r => Of(r),
            R2 r => Of(r),
            R3 r => Of(r),
            R4 r => Of(r),
            _ => ok(outcome.Value!),
        };
}
