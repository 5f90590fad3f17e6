using System.Globalization;
using Registry.Canonical;
using Map = System.Collections.Generic.Dictionary<string, object?>;

namespace Registry.LinkedData;

/// <summary>Node map generation (§7.2.2) and deserialization of JSON-LD to RDF (§8.1).</summary>
internal sealed partial class JsonLdProcessor
{
    private const string RdfFirst = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
    private const string RdfRest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
    private const string RdfNil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
    private const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    private const string RdfJson = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
    private const string XsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
    private const string XsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
    private const string XsdDouble = "http://www.w3.org/2001/XMLSchema#double";
    private const string I18nNamespace = "https://www.w3.org/ns/i18n#";

    private static readonly RdfTerm RdfFirstTerm = RdfTerm.Iri(RdfFirst);
    private static readonly RdfTerm RdfRestTerm = RdfTerm.Iri(RdfRest);
    private static readonly RdfTerm RdfNilTerm = RdfTerm.Iri(RdfNil);
    private static readonly RdfTerm RdfTypeTerm = RdfTerm.Iri(RdfType);

    /// <summary>Issues blank node identifiers _:b0, _:b1… and relabels the document's own.</summary>
    private sealed class BlankNodes
    {
        private readonly Dictionary<string, string> issued = new(StringComparer.Ordinal);
        private int counter;

        public string Issue(string? existing)
        {
            if (existing is not null && issued.TryGetValue(existing, out var label))
                return label;
            label = "_:b" + counter.ToString(CultureInfo.InvariantCulture);
            counter++;
            if (existing is not null)
                issued[existing] = label;
            return label;
        }
    }

    private readonly BlankNodes blankNodes = new();

    /// <summary>Graphs by name ("@default" for the default graph), each a map of subjects to node objects.</summary>
    private readonly Dictionary<string, Dictionary<string, Map>> nodeMap = new(StringComparer.Ordinal);

    /// <summary>The subject of nodes whose @id could not be expanded: not an IRI, so RDF leaves them out.</summary>
    private const string UnnamedNode = "@null";

    public void BuildNodeMap(object? element, string activeGraph = "@default", object? activeSubject = null, string? activeProperty = null, List<object?>? list = null)
    {
        if (element is List<object?> array)
        {
            foreach (var item in array)
                BuildNodeMap(item, activeGraph, activeSubject, activeProperty, list);
            return;
        }
        if (element is not Map map)
            return;
        if (!nodeMap.TryGetValue(activeGraph, out var graph))
            nodeMap[activeGraph] = graph = new Dictionary<string, Map>(StringComparer.Ordinal);
        var subjectNode = activeSubject is string subjectId ? graph[subjectId] : null;

        if (map.ContainsKey("@value"))
        {
            if (list is null)
                AddUnique(subjectNode!, activeProperty!, map);
            else
                list.Add(map);
            return;
        }
        if (map.TryGetValue("@list", out var listItems))
        {
            var result = new List<object?>();
            BuildNodeMap(listItems, activeGraph, activeSubject, activeProperty, result);
            var listObject = new Map { ["@list"] = result };
            if (list is null)
                AddValue(subjectNode!, activeProperty!, listObject);
            else
                list.Add(listObject);
            return;
        }

        string id;
        if (map.TryGetValue("@id", out var idValue))
            id = idValue is string given ? Iri.IsBlankNode(given) ? blankNodes.Issue(given) : given : UnnamedNode;
        else
            id = blankNodes.Issue(null);
        if (!graph.TryGetValue(id, out var node))
            graph[id] = node = new Map { ["@id"] = id };

        if (activeSubject is Map reverseSubject)
            AddUnique(node, activeProperty!, reverseSubject);
        else if (activeProperty is not null)
        {
            var reference = new Map { ["@id"] = id };
            if (list is null)
                AddUnique(subjectNode!, activeProperty, reference);
            else
                list.Add(reference);
        }

        if (map.TryGetValue("@type", out var types))
        {
            foreach (var type in AsList(types))
            {
                if (type is string t)
                    AddUnique(node, "@type", Iri.IsBlankNode(t) ? blankNodes.Issue(t) : t);
            }
        }
        if (map.TryGetValue("@index", out var index))
        {
            if (node.TryGetValue("@index", out var existingIndex) && !Equals(existingIndex, index))
                throw Error("conflicting indexes", $"The node {id} has two different @index values.", id);
            node["@index"] = index;
        }
        if (map.TryGetValue("@reverse", out var reverse) && reverse is Map reverseMap)
        {
            var referenced = new Map { ["@id"] = id };
            foreach (var (property, values) in reverseMap)
            {
                foreach (var value in AsList(values))
                    BuildNodeMap(value, activeGraph, referenced, property);
            }
        }
        if (map.TryGetValue("@graph", out var graphValue))
            BuildNodeMap(graphValue, id);
        if (map.TryGetValue("@included", out var included))
            BuildNodeMap(included, activeGraph);
        foreach (var (key, value) in map)
        {
            if (key is "@id" or "@type" or "@index" or "@reverse" or "@graph" or "@included")
                continue;
            if (Keywords.IsKeyword(key))
                continue;
            var property = Iri.IsBlankNode(key) ? blankNodes.Issue(key) : key;
            if (!node.ContainsKey(property))
                node[property] = new List<object?>();
            BuildNodeMap(value, activeGraph, id, property);
        }
    }

    private static void AddUnique(Map node, string property, object value)
    {
        if (!node.TryGetValue(property, out var existing) || existing is not List<object?> values)
        {
            node[property] = new List<object?> { value };
            return;
        }
        foreach (var v in values)
        {
            if (SameValue(v, value))
                return;
        }
        values.Add(value);
    }

    private static bool SameValue(object? a, object? b)
    {
        if (a is string || b is string)
            return Equals(a, b);
        if (a is not Map x || b is not Map y)
            return false;
        if (x.ContainsKey("@list") || y.ContainsKey("@list"))
            return false;
        if (x.TryGetValue("@value", out var xv))
        {
            return y.TryGetValue("@value", out var yv) && ScalarEquals(xv, yv)
                && Equals(x.GetValueOrDefault("@type"), y.GetValueOrDefault("@type"))
                && Equals(x.GetValueOrDefault("@language"), y.GetValueOrDefault("@language"))
                && Equals(x.GetValueOrDefault("@direction"), y.GetValueOrDefault("@direction"))
                && Equals(x.GetValueOrDefault("@index"), y.GetValueOrDefault("@index"));
        }
        return !y.ContainsKey("@value") && x.TryGetValue("@id", out var xi) && y.TryGetValue("@id", out var yi) && Equals(xi, yi);
    }

    private static bool ScalarEquals(object? a, object? b) => a is JsonLiteral x && b is JsonLiteral y
        ? System.Text.Json.Nodes.JsonNode.DeepEquals(x.Json, y.Json)
        : Equals(a, b);

    /// <summary>Deserialization to RDF (§8.1.2) of the node map built so far.</summary>
    public List<RdfQuad> ToQuads()
    {
        var quads = new List<RdfQuad>();
        var listQuads = new List<RdfQuad>();
        foreach (var (graphName, graph) in nodeMap)
        {
            RdfTerm? graphTerm = null;
            if (graphName != "@default")
            {
                if (!Iri.IsWellFormedNode(graphName))
                {
                    Dropped("relative graph reference", $"The graph name {graphName} is a relative IRI.", graphName);
                    continue;
                }
                graphTerm = NodeTerm(graphName);
            }
            foreach (var (subjectId, node) in graph)
            {
                if (!Iri.IsWellFormedNode(subjectId))
                {
                    Dropped("relative subject reference", $"The subject {subjectId} is a relative IRI.", subjectId);
                    continue;
                }
                var subject = NodeTerm(subjectId);
                foreach (var (property, values) in node)
                {
                    if (property == "@type")
                    {
                        foreach (var type in (List<object?>)values!)
                        {
                            var t = (string)type!;
                            if (Iri.IsWellFormedNode(t))
                                quads.Add(new RdfQuad(subject, RdfTypeTerm, NodeTerm(t), graphTerm));
                            else
                                Dropped("relative @type reference", $"The type {t} is a relative IRI.", t);
                        }
                        continue;
                    }
                    if (Keywords.IsKeyword(property))
                        continue;
                    if (Iri.IsBlankNode(property))
                    {
                        Dropped("blank node predicate", $"The property {property} is a blank node, which RDF does not allow as a predicate.", property);
                        continue;
                    }
                    if (!Iri.IsAbsolute(property))
                    {
                        Dropped("relative predicate reference", $"The property {property} is a relative IRI.", property);
                        continue;
                    }
                    var predicate = RdfTerm.Iri(property);
                    foreach (var item in (List<object?>)values!)
                    {
                        listQuads.Clear();
                        var obj = ObjectToRdf(item, listQuads, graphTerm);
                        if (obj is not null)
                            quads.Add(new RdfQuad(subject, predicate, obj, graphTerm));
                        quads.AddRange(listQuads);
                    }
                }
            }
        }
        return quads;
    }

    private static RdfTerm NodeTerm(string id) => Iri.IsBlankNode(id) ? RdfTerm.Blank(id[2..]) : RdfTerm.Iri(id);

    private RdfTerm? ObjectToRdf(object? item, List<RdfQuad> listQuads, RdfTerm? graph)
    {
        if (item is not Map map)
            return null;
        if (map.TryGetValue("@id", out var idValue) && !map.ContainsKey("@value"))
        {
            var id = idValue as string;
            if (id is null || !Iri.IsWellFormedNode(id))
            {
                Dropped("relative object reference", $"The object {id} is a relative IRI.", id);
                return null;
            }
            return NodeTerm(id);
        }
        if (map.TryGetValue("@list", out var list))
            return ListToRdf((List<object?>)list!, listQuads, graph);
        if (!map.TryGetValue("@value", out var value))
            return null;
        var datatype = map.GetValueOrDefault("@type") as string;
        if (datatype is not null && datatype != "@json" && !Iri.IsAbsolute(datatype))
            return null;
        var language = map.GetValueOrDefault("@language") as string;
        if (language is not null && !Keywords.IsLanguageTag(language))
            return null;
        var direction = map.GetValueOrDefault("@direction") as string;
        if (direction is not null && rdfDirection == RdfDirection.None)
            Dropped("rdfDirection not set", "A value with @direction cannot be written to RDF without an rdfDirection option.", value as string);
        if (direction is not null && value is not string)
        {
            // The API gives a number or boolean with a direction the i18n datatype; jsonld.js keeps its own type and drops the
            // direction. No signature over such a value verifies with both, so safe mode refuses it.
            Dropped("direction of a value that is not a string", "A number or boolean with @direction has no RDF form that processors agree on.", null);
        }
        string lexical;
        if (datatype == "@json")
        {
            lexical = Jcs.CanonicalizeToString(((JsonLiteral)value!).Json);
            datatype = RdfJson;
        }
        else if (value is bool b)
        {
            lexical = b ? "true" : "false";
            datatype ??= XsdBoolean;
        }
        else if (value is double d)
        {
            if (datatype == XsdDouble || IsDoubleAsJsonLdJs(d))
            {
                lexical = CanonicalDouble(d);
                datatype ??= XsdDouble;
            }
            else
            {
                // JavaScript's toFixed(0): -0 is "0", a tiny negative number "-0".
                lexical = d == 0 ? "0" : d % 1 == 0 ? d.ToString("F0", CultureInfo.InvariantCulture) : d < 0 ? "-0" : "0";
                datatype ??= XsdInteger;
            }
        }
        else if (value is string s)
            lexical = s;
        else
            return null;
        if (direction is not null && rdfDirection == RdfDirection.I18nDatatype)
            return RdfTerm.Literal(lexical, I18nDatatype(language, direction));
        return language is not null ? RdfTerm.Literal(lexical, language: language) : RdfTerm.Literal(lexical, datatype);
    }

    /// <summary>
    /// The <c>i18n-datatype</c> form of a base direction (§8.1.2 step 13): <c>https://www.w3.org/ns/i18n#</c>, the language
    /// tag in lower case (empty when there is none), an underscore and the direction, e.g. <c>…#en-us_rtl</c> or <c>…#_ltr</c>.
    /// </summary>
    private static string I18nDatatype(string? language, string direction) =>
        I18nNamespace + (language?.ToLowerInvariant() ?? "") + "_" + direction;

    /// <summary>
    /// Whether a number becomes an xsd:double, decided as jsonld.js decides it (and so every verifier
    /// built on it): when JavaScript writes it with a decimal point, or it is 10^21 or more. The
    /// specification asks for a non-zero fractional part instead; the two differ only for tiny numbers
    /// that JavaScript writes in exponent form without a point (1e-7, 5e-324): jsonld.js writes them as
    /// the xsd:integer "0" (or "-0"), and so does this processor, or a signature over the dataset made
    /// here would not verify there. The anchor's digest, over the JSON itself, still covers their value.
    /// </summary>
    private static bool IsDoubleAsJsonLdJs(double value) =>
        Math.Abs(value) >= 1e21 || (value % 1 != 0 && EcmaNumber.Format(value).Contains('.'));

    /// <summary>The canonical lexical form of an xsd:double, as JSON-LD writes it: <c>1.5E1</c>, <c>1.0E0</c>, <c>-2.5E-3</c>.</summary>
    internal static string CanonicalDouble(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "INF" : "-INF";
        var text = value.ToString("E15", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        var mantissa = text[..e].TrimEnd('0');
        if (mantissa.EndsWith('.'))
            mantissa += "0";
        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mantissa + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    private RdfTerm ListToRdf(List<object?> list, List<RdfQuad> listQuads, RdfTerm? graph)
    {
        if (list.Count == 0)
            return RdfNilTerm;
        var labels = new RdfTerm[list.Count];
        for (var i = 0; i < list.Count; i++)
            labels[i] = NodeTerm(blankNodes.Issue(null));
        for (var i = 0; i < list.Count; i++)
        {
            var embedded = new List<RdfQuad>();
            var obj = ObjectToRdf(list[i], embedded, graph);
            if (obj is not null)
                listQuads.Add(new RdfQuad(labels[i], RdfFirstTerm, obj, graph));
            listQuads.Add(new RdfQuad(labels[i], RdfRestTerm, i + 1 < list.Count ? labels[i + 1] : RdfNilTerm, graph));
            listQuads.AddRange(embedded);
        }
        return labels[0];
    }
}
