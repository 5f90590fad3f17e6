namespace Registry.LinkedData;

/// <summary>What an RDF term is: an IRI, a blank node or a literal.</summary>
public enum RdfTermKind
{
    Iri,
    BlankNode,
    Literal,
}

/// <summary>
/// One RDF term. For an IRI, <see cref="Value"/> is the IRI; for a blank node, its label without
/// the leading <c>_:</c>; for a literal, its lexical form, with <see cref="Datatype"/> (always set
/// for a literal: <c>xsd:string</c> when plain, <c>rdf:langString</c> when tagged) and
/// <see cref="Language"/> when it has one.
/// </summary>
public sealed record RdfTerm(RdfTermKind Kind, string Value, string? Datatype = null, string? Language = null)
{
    public const string XsdString = "http://www.w3.org/2001/XMLSchema#string";
    public const string RdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

    public static RdfTerm Iri(string iri) => new(RdfTermKind.Iri, iri);

    public static RdfTerm Blank(string label) => new(RdfTermKind.BlankNode, label);

    public static RdfTerm Literal(string lexical, string? datatype = null, string? language = null) =>
        new(RdfTermKind.Literal, lexical, language is null ? datatype ?? XsdString : RdfLangString, language);

    public bool IsIri => Kind == RdfTermKind.Iri;

    public bool IsBlank => Kind == RdfTermKind.BlankNode;

    public bool IsLiteral => Kind == RdfTermKind.Literal;
}

/// <summary>One quad: subject, predicate, object, and the graph it is in (null for the default graph).</summary>
public sealed record RdfQuad(RdfTerm Subject, RdfTerm Predicate, RdfTerm Object, RdfTerm? Graph = null);
