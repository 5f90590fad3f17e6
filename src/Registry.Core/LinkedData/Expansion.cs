using System.Text.Json.Nodes;
using Map = System.Collections.Generic.Dictionary<string, object?>;

namespace Registry.LinkedData;

/// <summary>A JSON literal's value (<c>@type: @json</c>), kept as the JSON it was.</summary>
internal sealed record JsonLiteral(JsonNode? Json);

/// <summary>
/// The expansion algorithm (§5.1.2). The expanded form is made of <see cref="Map"/> (an object),
/// <see cref="List{T}"/> (an array), and string, double and bool scalars, plus <see cref="JsonLiteral"/>.
/// </summary>
internal sealed partial class JsonLdProcessor
{
    private const int MaxDepth = 512;

    public List<object?> Expand(JsonNode? document, ActiveContext active, string? baseUrl)
    {
        var expanded = Expand(active, null, document, baseUrl, fromMap: false, insideList: false, depth: 0);
        if (expanded is Map map && map.Count == 1 && map.TryGetValue("@graph", out var graph))
            expanded = graph;
        return expanded switch
        {
            null => [],
            List<object?> list => list,
            _ => [expanded],
        };
    }

    private object? Expand(ActiveContext active, string? activeProperty, JsonNode? element, string? baseUrl, bool fromMap, bool insideList, int depth)
    {
        if (element is null)
            return null;
        if (depth > MaxDepth)
            throw Error("recursion limit exceeded", $"The document nests deeper than {MaxDepth} levels.");
        var propertyDefinition = activeProperty is null ? null : active.Term(activeProperty);
        var propertyScoped = propertyDefinition is { HasContext: true };

        if (element is JsonValue scalar)
        {
            if (!insideList && (activeProperty is null || activeProperty == "@graph" || propertyDefinition?.Iri == "@graph"))
            {
                Dropped("free-floating scalar", $"The value {scalar.ToJsonString()} is not the value of any property.", scalar.ToJsonString());
                return null;
            }
            if (propertyScoped)
                active = ProcessContext(active, propertyDefinition!.Context, propertyDefinition.BaseUrl, cacheKey: ScopedKey(propertyDefinition));
            return ExpandValue(active, activeProperty, Keywords.Scalar(scalar));
        }

        if (element is JsonArray array)
        {
            var result = new List<object?>(array.Count);
            var isList = propertyDefinition is not null && (propertyDefinition.Container & Container.List) != 0;
            foreach (var item in array)
            {
                var expandedItem = Expand(active, activeProperty, item, baseUrl, fromMap, insideList || isList, depth + 1);
                if (isList && expandedItem is List<object?>)
                    expandedItem = new Map { ["@list"] = expandedItem };
                if (expandedItem is List<object?> items)
                    result.AddRange(items);
                else if (expandedItem is not null)
                    result.Add(expandedItem);
            }
            return result;
        }

        var node = (JsonObject)element;
        if (active.Previous is not null && !fromMap && RevertsNotPropagated(active, node))
            active = active.Previous;
        if (propertyScoped)
            active = ProcessContext(active, propertyDefinition!.Context, propertyDefinition.BaseUrl, overrideProtected: true, cacheKey: ScopedKey(propertyDefinition));
        if (node.TryGetPropertyValue("@context", out var localContext))
            active = ProcessContext(active, localContext, baseUrl);

        var typeScoped = active;
        string? inputType = null;
        List<string>? typeKeys = null;
        // Members by position here and below: enumerating a JsonObject boxes its enumerator.
        for (var i = 0; i < node.Count; i++)
        {
            var key = node.GetAt(i).Key;
            if (ExpandIri(active, key, vocab: true) == "@type")
                (typeKeys ??= []).Add(key);
        }
        if (typeKeys is not null)
        {
            typeKeys.Sort(StringComparer.Ordinal);
            foreach (var key in typeKeys)
            {
                var types = new List<string>();
                if (node[key] is JsonArray typeArray)
                    types.AddRange(typeArray.Select(Keywords.AsString).OfType<string>());
                else if (Keywords.TryString(node[key], out var single))
                    types.Add(single);
                types.Sort(StringComparer.Ordinal);
                foreach (var type in types)
                {
                    if (typeScoped.Term(type) is { HasContext: true } typeDefinition)
                        active = ProcessContext(active, typeDefinition.Context, typeDefinition.BaseUrl, propagate: false, cacheKey: ScopedKey(typeDefinition));
                }
            }
            var firstTypeValue = node[typeKeys[0]];
            var last = firstTypeValue is JsonArray values ? (values.Count > 0 ? values[^1] : null) : firstTypeValue;
            if (Keywords.TryString(last, out var lastType))
                inputType = ExpandIri(typeScoped, lastType, vocab: true);
        }

        var map = new Map();
        var frame = new NodeFrame(active, typeScoped, inputType, baseUrl, depth);
        ExpandEntries(frame, activeProperty, node, map, insideList);
        return FinishMap(active, activeProperty, map, insideList);
    }

    private static object ScopedKey(TermDefinition definition) => definition.Context is null ? "null" : definition.Context;

    /// <summary>Whether a node keeps a non-propagated context: value objects and bare references do (§5.1.2 step 7).</summary>
    private bool RevertsNotPropagated(ActiveContext active, JsonObject node)
    {
        var onlyId = node.Count == 1;
        for (var i = 0; i < node.Count; i++)
        {
            var expanded = ExpandIri(active, node.GetAt(i).Key, vocab: true);
            if (expanded == "@value")
                return false;
            if (onlyId && expanded == "@id")
                return false;
        }
        return true;
    }

    private readonly record struct NodeFrame(ActiveContext Active, ActiveContext TypeScoped, string? InputType, string? BaseUrl, int Depth);

    private void ExpandEntries(NodeFrame frame, string? activeProperty, JsonObject node, Map result, bool insideList)
    {
        var active = frame.Active;
        List<string>? nests = null;
        for (var i = 0; i < node.Count; i++)
        {
            var (key, value) = node.GetAt(i);
            if (key == "@context")
                continue;
            var property = ExpandIri(active, key, vocab: true);
            if (property is null || (!Keywords.IsKeyword(property) && !property.Contains(':')))
            {
                Dropped("invalid property", $"The property {key} is not defined by the context and is dropped.", key);
                continue;
            }
            if (!Keywords.IsKeyword(property) && !Iri.IsWellFormedNode(property))
                Dropped("invalid property", $"The property {key} expands to {property}, which is not an absolute IRI.", key);
            if (Keywords.IsKeyword(property))
            {
                if (property == "@nest")
                {
                    (nests ??= []).Add(key);
                    continue;
                }
                ExpandKeyword(frame, activeProperty, key, property, value, result);
                continue;
            }
            ExpandProperty(frame, key, property, value, result);
        }
        if (nests is null)
            return;
        foreach (var nestKey in nests)
        {
            var nestFrame = frame;
            if (active.Term(nestKey) is { HasContext: true } nestDefinition)
                nestFrame = frame with { Active = ProcessContext(active, nestDefinition.Context, nestDefinition.BaseUrl, overrideProtected: true, cacheKey: ScopedKey(nestDefinition)) };
            var nested = node[nestKey];
            var nestedValues = nested is JsonArray nestedArray ? nestedArray : (IEnumerable<JsonNode?>)[nested];
            foreach (var nestedValue in nestedValues)
            {
                if (nestedValue is not JsonObject nestedObject || nestedObject.Any(e => ExpandIri(nestFrame.Active, e.Key, vocab: true) == "@value"))
                    throw Error("invalid @nest value", $"The value of {nestKey} must be an object without @value.", nestKey);
                ExpandEntries(nestFrame, activeProperty, nestedObject, result, insideList);
            }
        }
    }

    private void ExpandKeyword(NodeFrame frame, string? activeProperty, string key, string property, JsonNode? value, Map result)
    {
        var active = frame.Active;
        if (activeProperty == "@reverse")
            throw Error("invalid reverse property map", $"A reverse property map cannot hold the keyword {key}.", key);
        if (result.ContainsKey(property) && property is not ("@included" or "@type"))
            throw Error("colliding keywords", $"Two entries of one object expand to {property}.", property);
        object? expanded = null;
        switch (property)
        {
            case "@id":
                if (!Keywords.TryString(value, out var id))
                    throw Error("invalid @id value", "@id must be a string.", key);
                expanded = ExpandIri(active, id, documentRelative: true);
                if (expanded is null)
                {
                    // Kept as null, so that the node is no blank node but one that nothing in RDF can name.
                    Dropped("reserved @id value", $"@id {id} has the form of a keyword and is dropped.", id);
                    result["@id"] = null;
                    return;
                }
                else if (!Iri.IsWellFormedNode((string)expanded))
                    Dropped("relative @id reference", $"@id {id} is a relative IRI that no base resolves.", id);
                break;
            case "@type":
            {
                var types = new List<object?>();
                if (Keywords.TryString(value, out var single))
                {
                    if (ExpandType(frame.TypeScoped, single) is { } expandedType)
                        types.Add(expandedType);
                }
                else if (value is JsonArray array)
                {
                    foreach (var item in array)
                    {
                        if (!Keywords.TryString(item, out var type))
                            throw Error("invalid type value", "@type must be a string or an array of strings.", key);
                        if (ExpandType(frame.TypeScoped, type) is { } expandedType)
                            types.Add(expandedType);
                    }
                }
                else
                    throw Error("invalid type value", "@type must be a string or an array of strings.", key);
                if (types.Count == 0 && value is not JsonArray)
                    return;
                if (result.TryGetValue("@type", out var existing))
                {
                    var merged = existing as List<object?> ?? [existing];
                    merged.AddRange(types);
                    expanded = merged;
                }
                else
                    expanded = value is JsonArray ? types : types[0];
                break;
            }
            case "@graph":
                expanded = AsList(Expand(active, "@graph", value, frame.BaseUrl, false, false, frame.Depth + 1));
                break;
            case "@included":
            {
                var included = AsList(Expand(active, "@included", value, frame.BaseUrl, false, false, frame.Depth + 1));
                foreach (var item in included)
                {
                    if (item is not Map m || m.ContainsKey("@value") || m.ContainsKey("@list") || m.ContainsKey("@set"))
                        throw Error("invalid @included value", "@included must hold node objects.", key);
                }
                if (result.TryGetValue("@included", out var existing))
                    included.InsertRange(0, (List<object?>)existing!);
                expanded = included;
                break;
            }
            case "@value":
                if (frame.InputType == "@json")
                    expanded = new JsonLiteral(value);
                else if (value is null)
                {
                    result["@value"] = null;
                    return;
                }
                else if (value is JsonValue scalarValue)
                    expanded = Keywords.Scalar(scalarValue);
                else
                    throw Error("invalid value object value", "@value must be a string, number, boolean or null.", key);
                break;
            case "@language":
                if (!Keywords.TryString(value, out var language))
                    throw Error("invalid language-tagged string", "@language must be a string.", key);
                if (!Keywords.IsLanguageTag(language))
                    Dropped("invalid @language value", $"@language {language} is not a well-formed language tag.", language);
                expanded = language.ToLowerInvariant();
                break;
            case "@direction":
                if (!Keywords.TryString(value, out var direction) || direction is not ("ltr" or "rtl"))
                    throw Error("invalid base direction", "@direction must be \"ltr\" or \"rtl\".", key);
                expanded = direction;
                break;
            case "@index":
                if (!Keywords.TryString(value, out var index))
                    throw Error("invalid @index value", "@index must be a string.", key);
                expanded = index;
                break;
            case "@list":
                if (activeProperty is null or "@graph")
                {
                    Dropped("object with only @list", "A list is not the value of any property and is dropped.", key);
                    return;
                }
                expanded = AsList(Expand(active, activeProperty, value, frame.BaseUrl, false, true, frame.Depth + 1));
                break;
            case "@set":
                expanded = Expand(active, activeProperty, value, frame.BaseUrl, false, false, frame.Depth + 1);
                break;
            case "@reverse":
                ExpandReverse(frame, value, result);
                return;
            default:
                // Other keywords (@context is skipped earlier; @vocab, @base… mean nothing in a node) are ignored.
                return;
        }
        if (expanded is not null)
            result[property] = expanded;
    }

    private string? ExpandType(ActiveContext typeScoped, string type)
    {
        var expanded = ExpandIri(typeScoped, type, documentRelative: true, vocab: true);
        if (expanded is null)
            Dropped("reserved @id value", $"The type {type} has the form of a keyword.", type);
        else if (expanded != "@json" && !Iri.IsWellFormedNode(expanded))
            Dropped("relative @type reference", $"The type {type} is not defined by the context and is not an absolute IRI.", type);
        return expanded;
    }

    private void ExpandReverse(NodeFrame frame, JsonNode? value, Map result)
    {
        if (value is not JsonObject)
            throw Error("invalid @reverse value", "@reverse must be an object.", "@reverse");
        var expanded = Expand(frame.Active, "@reverse", value, frame.BaseUrl, false, false, frame.Depth + 1) as Map;
        if (expanded is null)
            return;
        if (expanded.TryGetValue("@reverse", out var doubleReverse) && doubleReverse is Map forward)
        {
            foreach (var (property, items) in forward)
                AddValue(result, property, items);
        }
        foreach (var (property, items) in expanded)
        {
            if (property == "@reverse")
                continue;
            var reverseMap = ReverseMap(result);
            foreach (var item in AsList(items))
            {
                if (item is Map m && (m.ContainsKey("@value") || m.ContainsKey("@list")))
                    throw Error("invalid reverse property value", $"The reverse property {property} cannot have a value or a list.", property);
                AddValue(reverseMap, property, item);
            }
        }
    }

    private static Map ReverseMap(Map result)
    {
        if (result.TryGetValue("@reverse", out var existing) && existing is Map map)
            return map;
        map = new Map();
        result["@reverse"] = map;
        return map;
    }

    private void ExpandProperty(NodeFrame frame, string key, string property, JsonNode? value, Map result)
    {
        var active = frame.Active;
        var definition = active.Term(key);
        var container = definition?.Container ?? Container.None;
        object? expanded;
        if (definition?.TypeMapping == "@json")
            expanded = new Map { ["@value"] = new JsonLiteral(value), ["@type"] = "@json" };
        else if ((container & Container.Language) != 0 && value is JsonObject languageMap)
            expanded = ExpandLanguageMap(active, definition!, languageMap);
        else if ((container & (Container.Index | Container.Type | Container.Id)) != 0 && value is JsonObject indexMap)
            expanded = ExpandIndexMap(frame, key, definition!, indexMap);
        else
            expanded = Expand(active, key, value, frame.BaseUrl, false, false, frame.Depth + 1);
        if (expanded is null)
            return;
        if ((container & Container.List) != 0 && !(expanded is Map listObject && listObject.ContainsKey("@list")))
            expanded = new Map { ["@list"] = AsList(expanded) };
        if ((container & Container.Graph) != 0 && (container & (Container.Id | Container.Index)) == 0)
        {
            var graphs = new List<object?>();
            foreach (var item in AsList(expanded))
                graphs.Add(new Map { ["@graph"] = AsList(item) });
            expanded = graphs;
        }
        if (definition is { Reverse: true })
        {
            var reverseMap = ReverseMap(result);
            foreach (var item in AsList(expanded))
            {
                if (item is Map m && (m.ContainsKey("@value") || m.ContainsKey("@list")))
                    throw Error("invalid reverse property value", $"The reverse property {key} cannot have a value or a list.", key);
                AddValue(reverseMap, property, item);
            }
        }
        else
            AddValue(result, property, expanded);
    }

    private List<object?> ExpandLanguageMap(ActiveContext active, TermDefinition definition, JsonObject languageMap)
    {
        var result = new List<object?>();
        var direction = definition.HasDirection ? definition.Direction : active.DefaultDirection;
        foreach (var (language, languageValue) in languageMap.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var items = languageValue is JsonArray array ? array : (IEnumerable<JsonNode?>)[languageValue];
            foreach (var item in items)
            {
                if (item is null)
                    continue;
                if (!Keywords.TryString(item, out var text))
                    throw Error("invalid language map value", $"The language map value for {language} must be a string.", language);
                var v = new Map { ["@value"] = text };
                if (language != "@none" && ExpandIri(active, language, vocab: true) != "@none")
                {
                    if (!Keywords.IsLanguageTag(language))
                        Dropped("invalid @language value", $"The language map key {language} is not a well-formed language tag.", language);
                    v["@language"] = language.ToLowerInvariant();
                }
                if (direction is not null)
                    v["@direction"] = direction;
                result.Add(v);
            }
        }
        return result;
    }

    private List<object?> ExpandIndexMap(NodeFrame frame, string key, TermDefinition definition, JsonObject indexMap)
    {
        var active = frame.Active;
        var container = definition.Container;
        var result = new List<object?>();
        var indexKey = definition.Index ?? "@index";
        foreach (var (index, indexValue) in indexMap.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var mapContext = active;
            if ((container & (Container.Id | Container.Type)) != 0)
                mapContext = active.Previous ?? active;
            if ((container & Container.Type) != 0 && mapContext.Term(index) is { HasContext: true } typeDefinition)
                mapContext = ProcessContext(mapContext, typeDefinition.Context, typeDefinition.BaseUrl, cacheKey: ScopedKey(typeDefinition));
            else if ((container & (Container.Id | Container.Type)) == 0)
                mapContext = active;
            var expandedIndex = ExpandIri(active, index, vocab: true);
            var items = new List<object?>();
            foreach (var member in indexValue is JsonArray array ? array : (IEnumerable<JsonNode?>)[indexValue])
                items.AddRange(AsList(Expand(mapContext, key, member, frame.BaseUrl, true, false, frame.Depth + 1)));
            foreach (var expandedItem in items)
            {
                var item = expandedItem;
                if ((container & Container.Graph) != 0 && !(item is Map g && IsGraphObject(g)))
                    item = new Map { ["@graph"] = AsList(item) };
                var itemMap = item as Map;
                if ((container & Container.Index) != 0 && indexKey != "@index" && expandedIndex != "@none")
                {
                    var reExpanded = ExpandValue(active, indexKey, index);
                    var expandedIndexKey = ExpandIri(active, indexKey, vocab: true)!;
                    if (itemMap is null || itemMap.ContainsKey("@value"))
                        throw Error("invalid value object", $"A value in the property-valued index {key} cannot be a value object.", key);
                    var values2 = new List<object?> { reExpanded };
                    if (itemMap.TryGetValue(expandedIndexKey, out var existing))
                        values2.AddRange(AsList(existing));
                    itemMap[expandedIndexKey] = values2;
                }
                else if ((container & Container.Index) != 0 && itemMap is not null && !itemMap.ContainsKey("@index") && expandedIndex != "@none")
                    itemMap["@index"] = index;
                else if ((container & Container.Id) != 0 && itemMap is not null && !itemMap.ContainsKey("@id") && expandedIndex != "@none")
                {
                    var id = ExpandIri(active, index, documentRelative: true);
                    if (id is not null && !Iri.IsWellFormedNode(id))
                        Dropped("relative @id reference", $"The id map key {index} is a relative IRI that no base resolves.", index);
                    itemMap["@id"] = id;
                }
                else if ((container & Container.Type) != 0 && itemMap is not null && expandedIndex != "@none")
                {
                    var types = new List<object?> { expandedIndex };
                    if (itemMap.TryGetValue("@type", out var existingTypes))
                        types.AddRange(AsList(existingTypes));
                    itemMap["@type"] = types;
                }
                result.Add(item);
            }
        }
        return result;
    }

    private static bool IsGraphObject(Map map)
    {
        if (!map.ContainsKey("@graph"))
            return false;
        foreach (var key in map.Keys)
        {
            if (key is not ("@graph" or "@id" or "@index" or "@context"))
                return false;
        }
        return true;
    }

    private object? FinishMap(ActiveContext active, string? activeProperty, Map result, bool insideList)
    {
        var count = result.Count;
        if (result.TryGetValue("@value", out var value))
        {
            foreach (var key in result.Keys)
            {
                if (key is not ("@direction" or "@index" or "@language" or "@type" or "@value"))
                    throw Error("invalid value object", $"A value object cannot have {key}.", key);
            }
            if (result.ContainsKey("@type") && (result.ContainsKey("@language") || result.ContainsKey("@direction")))
                throw Error("invalid value object", "A value object cannot have both @type and @language or @direction.");
            var type = result.GetValueOrDefault("@type");
            if (type as string == "@json")
            {
                // A JSON literal: any JSON at all.
            }
            else if (value is null || value is List<object?> { Count: 0 })
            {
                Dropped("null @value value", "A value object whose @value is null is dropped.", "@value");
                return null;
            }
            else if (value is not string && result.ContainsKey("@language"))
                throw Error("invalid language-tagged value", "Only a string can have a language.", "@language");
            else if (type is not null && (type is not string t || !Iri.IsAbsolute(t)))
                throw Error("invalid typed value", "The @type of a value must be an absolute IRI.", type as string);
        }
        else if (result.TryGetValue("@type", out var types) && types is not List<object?>)
            result["@type"] = new List<object?> { types };
        else if (result.ContainsKey("@set") || result.ContainsKey("@list"))
        {
            if (count > 2 || (count == 2 && !result.ContainsKey("@index")))
                throw Error("invalid set or list object", "A @set or @list object can only also have @index.");
            if (result.TryGetValue("@set", out var set))
                return set;
        }
        if (count == 1 && result.ContainsKey("@language"))
        {
            Dropped("object with only @language", "An object with only @language is dropped.", "@language");
            return null;
        }
        if (!insideList && (activeProperty is null || activeProperty == "@graph" || ExpandIri(active, activeProperty, vocab: true) == "@graph"))
        {
            if (count == 0)
            {
                Dropped("empty object", "An empty object is not the value of any property and is dropped.", null);
                return null;
            }
            if (result.ContainsKey("@value") || result.ContainsKey("@list"))
            {
                Dropped("object with only @value", "A value is not the value of any property and is dropped.", null);
                return null;
            }
            if (count == 1 && result.TryGetValue("@id", out var onlyId))
            {
                Dropped("object with only @id", $"The node {onlyId} has nothing but its @id here and is dropped.", onlyId as string);
                return null;
            }
        }
        return result;
    }

    /// <summary>Value expansion (§5.3.2).</summary>
    private object? ExpandValue(ActiveContext active, string? activeProperty, object? value)
    {
        var definition = activeProperty is null ? null : active.Term(activeProperty);
        var typeMapping = definition?.TypeMapping;
        if (value is string s && typeMapping is "@id" or "@vocab")
        {
            var id = typeMapping == "@id" ? ExpandIri(active, s, documentRelative: true) : ExpandIri(active, s, documentRelative: true, vocab: true);
            if (id is null)
                Dropped("reserved @id value", $"The value {s} has the form of a keyword.", s);
            else if (!Iri.IsWellFormedNode(id))
                Dropped("relative @id reference", $"The value {s} of {activeProperty} is a relative IRI that no base resolves.", s);
            return new Map { ["@id"] = id };
        }
        var result = new Map { ["@value"] = value };
        if (typeMapping is not null and not ("@id" or "@vocab" or "@none"))
            result["@type"] = typeMapping;
        else if (value is string)
        {
            var language = definition is { HasLanguage: true } ? definition.Language : active.DefaultLanguage;
            var direction = definition is { HasDirection: true } ? definition.Direction : active.DefaultDirection;
            if (language is not null)
                result["@language"] = language;
            if (direction is not null)
                result["@direction"] = direction;
        }
        return result;
    }

    private static List<object?> AsList(object? value) => value switch
    {
        null => [],
        List<object?> list => list,
        _ => [value],
    };

    private static void AddValue(Map map, string key, object? value)
    {
        if (!map.TryGetValue(key, out var existing) || existing is not List<object?> list)
        {
            list = existing is null ? [] : [existing];
            map[key] = list;
        }
        if (value is List<object?> values)
            list.AddRange(values);
        else
            list.Add(value);
    }
}
