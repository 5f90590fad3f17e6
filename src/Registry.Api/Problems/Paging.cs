using Registry.Api.Outcomes;

namespace Registry.Api.Problems;

/// <summary>The <c>skip</c> and <c>limit</c> of a listing: out-of-range values are refused, never quietly replaced.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The refusal of an out-of-range <c>skip</c> or <c>limit</c>; null when both may be used.</summary>
    public static Invalid? Refuses(int? skip, int? limit) =>
        skip < 0 ? new Invalid($"skip must be 0 or more; it was {skip}.")
        : limit is < 1 or > MaxLimit ? new Invalid($"limit must be from 1 to {MaxLimit:N0} (leave it out for {DefaultLimit}); it was {limit}.")
        : null;

    /// <summary>The limit of a listing whose paging was not refused.</summary>
    public static int Limit(int? limit) => limit ?? DefaultLimit;
}
