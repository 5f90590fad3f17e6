namespace Registry.Credentials;

/// <summary>Problems found in a document, keyed by the path of the field they concern.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming every field and its problems, for check messages and logs.</summary>
    public override string ToString() =>
        string.Join("; ", _byField.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));
}
