using Registry.LinkedData;

namespace Registry.Tests.LinkedData;

/// <summary>
/// Whether two RDF datasets are the same up to the labels of their blank nodes: quads without
/// blank nodes must match as sets; blank nodes are paired by a backtracking search, narrowed by a
/// signature of what each blank node touches. Enough for the small datasets of the test suites.
/// </summary>
public static class DatasetIsomorphism
{
    public static bool AreIsomorphic(IEnumerable<RdfQuad> first, IEnumerable<RdfQuad> second)
    {
        var a = first.Distinct().ToList();
        var b = second.Distinct().ToList();
        if (a.Count != b.Count)
            return false;
        var groundA = a.Where(q => !HasBlank(q)).ToHashSet();
        var groundB = b.Where(q => !HasBlank(q)).ToHashSet();
        if (!groundA.SetEquals(groundB))
            return false;
        var blankA = a.Where(HasBlank).ToList();
        var blankB = b.Where(HasBlank).ToList();
        if (blankA.Count != blankB.Count)
            return false;
        var labelsA = Labels(blankA);
        var labelsB = Labels(blankB);
        if (labelsA.Count != labelsB.Count)
            return false;
        var signaturesA = Signatures(blankA, labelsA);
        var signaturesB = Signatures(blankB, labelsB);
        var targetSet = blankB.ToHashSet();
        var order = labelsA.OrderBy(l => labelsB.Count(m => signaturesB[m] == signaturesA[l])).ToList();
        return Search(order, 0, new Dictionary<string, string>(), new HashSet<string>(), signaturesA, signaturesB, labelsB, blankA, targetSet);
    }

    private static bool Search(
        List<string> order, int position, Dictionary<string, string> mapping, HashSet<string> used,
        Dictionary<string, string> signaturesA, Dictionary<string, string> signaturesB, List<string> labelsB,
        List<RdfQuad> blankA, HashSet<RdfQuad> targetSet)
    {
        if (position == order.Count)
            return blankA.All(q => targetSet.Contains(Rename(q, mapping)));
        var label = order[position];
        foreach (var candidate in labelsB)
        {
            if (used.Contains(candidate) || signaturesB[candidate] != signaturesA[label])
                continue;
            mapping[label] = candidate;
            used.Add(candidate);
            if (Consistent(blankA, mapping, targetSet)
                && Search(order, position + 1, mapping, used, signaturesA, signaturesB, labelsB, blankA, targetSet))
                return true;
            mapping.Remove(label);
            used.Remove(candidate);
        }
        return false;
    }

    /// <summary>Every quad whose blank nodes are all mapped already must be in the target.</summary>
    private static bool Consistent(List<RdfQuad> quads, Dictionary<string, string> mapping, HashSet<RdfQuad> target) =>
        quads.Where(q => Terms(q).All(t => !t.IsBlank || mapping.ContainsKey(t.Value)))
            .All(q => target.Contains(Rename(q, mapping)));

    private static RdfQuad Rename(RdfQuad quad, Dictionary<string, string> mapping)
    {
        RdfTerm? Map(RdfTerm? term) => term is { IsBlank: true } ? RdfTerm.Blank(mapping[term.Value]) : term;
        return new RdfQuad(Map(quad.Subject)!, Map(quad.Predicate)!, Map(quad.Object)!, Map(quad.Graph));
    }

    private static bool HasBlank(RdfQuad quad) => Terms(quad).Any(t => t.IsBlank);

    private static IEnumerable<RdfTerm> Terms(RdfQuad quad)
    {
        yield return quad.Subject;
        yield return quad.Predicate;
        yield return quad.Object;
        if (quad.Graph is not null)
            yield return quad.Graph;
    }

    private static List<string> Labels(List<RdfQuad> quads) =>
        quads.SelectMany(Terms).Where(t => t.IsBlank).Select(t => t.Value).Distinct().ToList();

    /// <summary>Colour refinement: a blank node's signature is what it touches, with other blank nodes by their last signature.</summary>
    private static Dictionary<string, string> Signatures(List<RdfQuad> quads, List<string> labels)
    {
        var signatures = labels.ToDictionary(l => l, _ => "");
        for (var round = 0; round < 4; round++)
        {
            string Show(RdfTerm? term) => term is null ? "-" : term.IsBlank ? "_" + signatures[term.Value] : term.ToString();
            signatures = labels.ToDictionary(label => label, label =>
            {
                var parts = quads.Where(q => Terms(q).Any(t => t.IsBlank && t.Value == label)).Select(q =>
                {
                    string Position(RdfTerm? t) => t is { IsBlank: true } && t.Value == label ? "*" : Show(t);
                    return $"{Position(q.Subject)}|{Position(q.Predicate)}|{Position(q.Object)}|{Position(q.Graph)}";
                }).Order(StringComparer.Ordinal);
                return string.Join("\n", parts).GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
        }
        return signatures;
    }
}
