namespace Registry.Api.Problems;

/// <summary>The <c>skip</c> and <c>limit</c> of a listing: out-of-range values are refused, never quietly replaced.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw ProblemException.BadRequest($"limit must be from 1 to {MaxLimit:N0} (leave it out for {DefaultLimit}); it was {limit}."),
    };

    public static int Skip(int? skip) => skip is null or >= 0 ? skip ?? 0 : throw ProblemException.BadRequest($"skip must be 0 or more; it was {skip}.");
}
