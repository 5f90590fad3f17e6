namespace Registry.Canonical;

/// <summary>
/// A JSON value that has no RFC 8785 canonical form: a number that is not a finite double, a
/// string that is not valid UTF-16, a duplicate property name, or nesting that is too deep.
/// </summary>
public sealed class JcsException : FormatException
{
    public JcsException(string message)
        : base(message)
    {
    }

    public JcsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
