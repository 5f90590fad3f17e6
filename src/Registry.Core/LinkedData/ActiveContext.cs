using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>The kinds of container a term can have (<c>@container</c>), as flags because some combine.</summary>
[Flags]
internal enum Container
{
    None = 0,
    List = 1,
    Set = 2,
    Index = 4,
    Id = 8,
    Type = 16,
    Language = 32,
    Graph = 64,
}

/// <summary>A term definition of an active context (JSON-LD 1.1 Processing Algorithms §4.1); never changed once made.</summary>
internal sealed class TermDefinition
{
    /// <summary>The IRI mapping: an IRI, a blank node identifier or a keyword; null for a term defined as null.</summary>
    public string? Iri { get; init; }
    public bool Reverse { get; init; }
    public string? TypeMapping { get; init; }
    public bool HasLanguage { get; init; }
    public string? Language { get; init; }
    public bool HasDirection { get; init; }
    public string? Direction { get; init; }
    public Container Container { get; init; }
    public string? Index { get; init; }
    public string? Nest { get; init; }
    public bool Prefix { get; init; }
    public bool Protected { get; set; }
    public bool HasContext { get; init; }
    /// <summary>The term's scoped context (a copy, so that a cached context keeps no document alive).</summary>
    public JsonNode? Context { get; init; }
    public string? BaseUrl { get; init; }

    /// <summary>Whether two definitions are the same but for <see cref="Protected"/>: the test for redefining a protected term.</summary>
    public bool SameAs(TermDefinition other) =>
        Iri == other.Iri && Reverse == other.Reverse && TypeMapping == other.TypeMapping
        && HasLanguage == other.HasLanguage && Language == other.Language
        && HasDirection == other.HasDirection && Direction == other.Direction
        && Container == other.Container && Index == other.Index && Nest == other.Nest && Prefix == other.Prefix
        && HasContext == other.HasContext && JsonNode.DeepEquals(Context, other.Context);
}

/// <summary>
/// An active context: term definitions, base IRI, vocabulary mapping, default language and direction.
/// Once processing has made one it is never changed, so processed contexts can be shared between
/// documents and threads; <see cref="Id"/> names it in the cache of processed contexts.
/// </summary>
internal sealed class ActiveContext
{
    private static long lastId;

    public long Id { get; } = Interlocked.Increment(ref lastId);
    public Dictionary<string, TermDefinition> Terms { get; }
    public string? Base { get; set; }
    public string? OriginalBase { get; init; }
    public string? Vocab { get; set; }
    public string? DefaultLanguage { get; set; }
    public string? DefaultDirection { get; set; }
    public ActiveContext? Previous { get; set; }

    public ActiveContext(string? baseIri)
    {
        Terms = new Dictionary<string, TermDefinition>(StringComparer.Ordinal);
        Base = baseIri;
        OriginalBase = baseIri;
    }

    private ActiveContext(ActiveContext source)
    {
        Terms = new Dictionary<string, TermDefinition>(source.Terms, StringComparer.Ordinal);
        Base = source.Base;
        OriginalBase = source.OriginalBase;
        Vocab = source.Vocab;
        DefaultLanguage = source.DefaultLanguage;
        DefaultDirection = source.DefaultDirection;
        Previous = source.Previous;
    }

    public ActiveContext Clone() => new(this);

    public TermDefinition? Term(string term) => Terms.GetValueOrDefault(term);

    public bool HasProtectedTerms()
    {
        foreach (var definition in Terms.Values)
        {
            if (definition.Protected)
                return true;
        }
        return false;
    }
}
