namespace Registry.Api.Outcomes;

/// <summary>
/// Why a service did not do what it was asked, in the domain's words. Services return refusals and
/// know nothing of HTTP; endpoints answer each kind with its problem document (<c>Problems/Problem.cs</c>).
/// </summary>
public abstract record Refusal(string Detail);

/// <summary>
/// The request is wrong. <see cref="Errors"/> names each bad field by its JSON pointer into the body
/// (<c>/name</c>, <c>/3/credentialSubject</c>); without it the request is wrong as a whole.
/// </summary>
public sealed record Invalid(string Detail, IReadOnlyDictionary<string, string[]>? Errors = null) : Refusal(Detail)
{
    public Invalid(string detail, string field, string message) : this(detail, new Dictionary<string, string[]> { [field] = [message] }) { }
}

/// <summary>
/// A document sent to be verified (<c>POST /credentials/verify</c>, <c>POST /presentations/verify</c>) failed the check
/// named <see cref="Check"/>; <see cref="At"/> is the JSON pointer of the document it failed on, within the request's body.
/// </summary>
public sealed record FailedCheck(string Check, string At, string Detail) : Refusal(Detail);

/// <summary>Nothing of this id exists, or nothing the caller may see.</summary>
public sealed record Unknown(string What) : Refusal($"{What} was not found.");

/// <summary>The caller may not do this to this resource, which is another's.</summary>
public sealed record NotPermitted(string Detail) : Refusal(Detail);

/// <summary>The request does not fit the state of things now: done already, not possible yet, or no longer.</summary>
public record StateConflict(string Detail) : Refusal(Detail);

/// <summary>The issuer's account cannot pay for the transaction the request needs.</summary>
public sealed record CannotPay(string Detail) : StateConflict(Detail);

/// <summary>
/// What a service did: its value, or a refusal of one of the kinds its type names. The kinds are in the
/// type so that an endpoint's answers, and the API reference, follow from it (see <c>Problems.Answer</c>).
/// </summary>
public abstract class Outcome<T>
{
    private protected Outcome(T value) => Value = value;

    private protected Outcome(Refusal refusal) => Refusal = refusal;

    /// <summary>The value; meaningful only when <see cref="Refusal"/> is null.</summary>
    public T? Value { get; }

    public Refusal? Refusal { get; }
}

public sealed class Outcome<T, R1> : Outcome<T> where R1 : Refusal
{
    private Outcome(T value) : base(value) { }
    private Outcome(Refusal refusal) : base(refusal) { }

    public static implicit operator Outcome<T, R1>(T value) => new(value);
    public static implicit operator Outcome<T, R1>(R1 refusal) => new(refusal);
}

public sealed class Outcome<T, R1, R2> : Outcome<T> where R1 : Refusal where R2 : Refusal
{
    private Outcome(T value) : base(value) { }
    private Outcome(Refusal refusal) : base(refusal) { }

    public static implicit operator Outcome<T, R1, R2>(T value) => new(value);
    public static implicit operator Outcome<T, R1, R2>(R1 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2>(R2 refusal) => new(refusal);
}

public sealed class Outcome<T, R1, R2, R3> : Outcome<T> where R1 : Refusal where R2 : Refusal where R3 : Refusal
{
    private Outcome(T value) : base(value) { }
    private Outcome(Refusal refusal) : base(refusal) { }

    public static implicit operator Outcome<T, R1, R2, R3>(T value) => new(value);
    public static implicit operator Outcome<T, R1, R2, R3>(R1 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2, R3>(R2 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2, R3>(R3 refusal) => new(refusal);
}

public sealed class Outcome<T, R1, R2, R3, R4> : Outcome<T> where R1 : Refusal where R2 : Refusal where R3 : Refusal where R4 : Refusal
{
    private Outcome(T value) : base(value) { }
    private Outcome(Refusal refusal) : base(refusal) { }

    public static implicit operator Outcome<T, R1, R2, R3, R4>(T value) => new(value);
    public static implicit operator Outcome<T, R1, R2, R3, R4>(R1 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2, R3, R4>(R2 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2, R3, R4>(R3 refusal) => new(refusal);
    public static implicit operator Outcome<T, R1, R2, R3, R4>(R4 refusal) => new(refusal);
}
