using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>Context processing, term definitions and IRI expansion (JSON-LD 1.1 Processing Algorithms §4 and §5.2).</summary>
internal sealed partial class JsonLdProcessor
{
    private const int MaxRemoteContexts = 32;
    private const int MaxCachedContexts = 10_000;

    /// <summary>
    /// Processed contexts, shared by every document of the process: the same local context applied to
    /// the same active context (with the same flags, base and loader) gives the same result, so it is
    /// processed once. Keys hold the local context as a <see cref="LocalContextKey"/> (a copy of its JSON),
    /// or a scoped context by reference (the copy its cached term definition keeps).
    /// </summary>
    private static readonly ConcurrentDictionary<ContextKey, ActiveContext> ProcessedContexts = new();

    private static readonly ConcurrentDictionary<(IDocumentLoader, string), RemoteDocument> LoadedContexts = new();

    private static readonly ConcurrentDictionary<string, ActiveContext> InitialContexts = new(StringComparer.Ordinal);

    private readonly record struct ContextKey(
        long ActiveContext, object LocalContext, string? BaseUrl, int Flags, IDocumentLoader Loader);

    private readonly IDocumentLoader loader;
    private readonly bool safe;
    private readonly RdfDirection rdfDirection;

    public JsonLdProcessor(JsonLdOptions options)
    {
        loader = options.DocumentLoader;
        safe = options.Safe;
        rdfDirection = options.RdfDirection;
    }

    /// <summary>The initial active context for a base IRI, the same object each time so that what is built on it is cached.</summary>
    public static ActiveContext InitialContext(string? baseIri) =>
        InitialContexts.GetOrAdd(baseIri ?? "", static (b) => new ActiveContext(b.Length == 0 ? null : b));

    /// <summary>In safe mode, what would be dropped is an error; otherwise it is dropped.</summary>
    private void Dropped(string code, string message, string? subject)
    {
        if (safe)
            throw new JsonLdException(code, $"Safe mode: {message}", subject) { IsSafeModeError = true };
    }

    private static JsonLdException Error(string code, string message, string? subject = null) => new(code, message, subject);

    public ActiveContext ProcessContext(
        ActiveContext active, JsonNode? local, string? baseUrl, List<string>? remoteContexts = null,
        bool overrideProtected = false, bool propagate = true, bool validateScopedContext = true, object? cacheKey = null)
    {
        var inRemote = remoteContexts is { Count: > 0 };
        var flags = (overrideProtected ? 1 : 0) | (propagate ? 2 : 0) | (validateScopedContext ? 4 : 0)
            | (inRemote ? 8 : 0) | (safe ? 16 : 0);
        var key = new ContextKey(active.Id, cacheKey ?? LocalContextKey.Of(local), baseUrl, flags, loader);
        if (ProcessedContexts.TryGetValue(key, out var cached))
            return cached;
        var result = ProcessContextUncached(active, local, baseUrl, remoteContexts ?? [], overrideProtected, propagate, validateScopedContext);
        if (ProcessedContexts.Count < MaxCachedContexts)
            ProcessedContexts.TryAdd(key.LocalContext is LocalContextKey own ? key with { LocalContext = own.Detached() } : key, result);
        return result;
    }

    private ActiveContext ProcessContextUncached(
        ActiveContext active, JsonNode? local, string? baseUrl, List<string> remoteContexts,
        bool overrideProtected, bool propagate, bool validateScopedContext)
    {
        var result = active.Clone();
        if (local is JsonObject localObject && localObject.TryGetPropertyValue("@propagate", out var propagateValue))
        {
            if (!Keywords.TryBool(propagateValue, out propagate))
                throw Error("invalid @propagate value", "@propagate must be true or false.");
        }
        if (!propagate && result.Previous is null)
            result.Previous = active;
        var items = local is JsonArray array ? array : (IEnumerable<JsonNode?>)[local];
        foreach (var item in items)
        {
            switch (item)
            {
                case null:
                    if (!overrideProtected && result.HasProtectedTerms())
                        throw Error("invalid context nullification", "A context with protected terms cannot be set to null.");
                    var previous = result;
                    result = new ActiveContext(active.OriginalBase) { Base = active.OriginalBase };
                    if (!propagate)
                        result.Previous = previous;
                    continue;
                case JsonValue value when Keywords.TryString(value, out var reference):
                    result = ProcessRemoteContext(result, reference, baseUrl, remoteContexts, validateScopedContext);
                    continue;
                case JsonObject definition:
                    ProcessContextDefinition(result, definition, baseUrl, remoteContexts, overrideProtected);
                    continue;
                default:
                    throw Error("invalid local context", "A context must be null, a string or an object.");
            }
        }
        return result;
    }

    private ActiveContext ProcessRemoteContext(
        ActiveContext result, string reference, string? baseUrl, List<string> remoteContexts, bool validateScopedContext)
    {
        var url = Iri.Resolve(baseUrl, reference);
        if (!Iri.HasScheme(url))
            throw Error("loading remote context failed", $"The context reference {reference} is relative and there is no base to resolve it.", reference);
        if (!validateScopedContext && remoteContexts.Contains(url))
            return result;
        if (remoteContexts.Count >= MaxRemoteContexts)
            throw Error("context overflow", $"Too many nested remote contexts at {url}.", url);
        var nested = new List<string>(remoteContexts) { url };
        var document = LoadDocument(url);
        if (document.Document is not JsonObject root || !root.TryGetPropertyValue("@context", out var context))
            throw Error("invalid remote context", $"The document at {url} has no @context object.", url);
        return ProcessContext(result, context, document.DocumentUrl, nested, validateScopedContext: validateScopedContext, cacheKey: context);
    }

    private RemoteDocument LoadDocument(string url)
    {
        if (LoadedContexts.TryGetValue((loader, url), out var document))
            return document;
        try
        {
            document = loader.Load(url);
        }
        catch (JsonLdException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Error("loading remote context failed", $"The context {url} could not be loaded: {e.Message}", url);
        }
        LoadedContexts.TryAdd((loader, url), document);
        return document;
    }

    private void ProcessContextDefinition(
        ActiveContext result, JsonObject context, string? baseUrl, List<string> remoteContexts, bool overrideProtected)
    {
        if (context.TryGetPropertyValue("@version", out var version))
        {
            if (version is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number || v.GetValue<double>() != 1.1)
                throw Error("invalid @version value", "@version must be the number 1.1.");
        }
        if (context.TryGetPropertyValue("@import", out var importValue))
        {
            if (!Keywords.TryString(importValue, out var importReference))
                throw Error("invalid @import value", "@import must be a string.");
            var url = Iri.Resolve(baseUrl, importReference);
            var imported = LoadDocument(url).Document;
            if (imported is not JsonObject importRoot || importRoot["@context"] is not JsonObject importContext)
                throw Error("invalid remote context", $"The imported document {url} has no @context object.", url);
            if (importContext.ContainsKey("@import"))
                throw Error("invalid context entry", $"The imported context {url} itself has @import.", url);
            var merged = new JsonObject();
            foreach (var (name, value) in importContext)
            {
                if (!context.ContainsKey(name))
                    merged[name] = value?.DeepClone();
            }
            foreach (var (name, value) in context)
                merged[name] = value?.DeepClone();
            context = merged;
        }
        if (remoteContexts.Count == 0 && context.TryGetPropertyValue("@base", out var baseValue))
        {
            if (baseValue is null)
                result.Base = null;
            else if (!Keywords.TryString(baseValue, out var b))
                throw Error("invalid base IRI", "@base must be a string or null.");
            else if (Iri.HasScheme(b))
                result.Base = b;
            else if (result.Base is not null)
                result.Base = Iri.Resolve(result.Base, b);
            else
                throw Error("invalid base IRI", $"@base {b} is relative and there is no base to resolve it against.", b);
        }
        if (context.TryGetPropertyValue("@vocab", out var vocabValue))
        {
            if (vocabValue is null)
                result.Vocab = null;
            else if (Keywords.TryString(vocabValue, out var vocab))
            {
                var expanded = ExpandIri(result, vocab, documentRelative: true, vocab: true);
                if (expanded is null || (!Iri.HasScheme(expanded) && !Iri.IsBlankNode(expanded)))
                {
                    if (expanded is null || Keywords.IsKeyword(expanded))
                        throw Error("invalid vocab mapping", $"@vocab {vocab} is not an IRI.", vocab);
                    Dropped("relative @vocab reference", $"@vocab {vocab} is a relative IRI.", vocab);
                }
                result.Vocab = expanded;
            }
            else
                throw Error("invalid vocab mapping", "@vocab must be a string or null.");
        }
        if (context.TryGetPropertyValue("@language", out var languageValue))
        {
            if (languageValue is null)
                result.DefaultLanguage = null;
            else if (Keywords.TryString(languageValue, out var language))
            {
                if (!Keywords.IsLanguageTag(language))
                    Dropped("invalid @language value", $"@language {language} is not a well-formed language tag.", language);
                result.DefaultLanguage = language.ToLowerInvariant();
            }
            else
                throw Error("invalid default language", "@language must be a string or null.");
        }
        if (context.TryGetPropertyValue("@direction", out var directionValue))
        {
            if (directionValue is null)
                result.DefaultDirection = null;
            else if (Keywords.TryString(directionValue, out var direction) && direction is "ltr" or "rtl")
                result.DefaultDirection = direction;
            else
                throw Error("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null.");
        }
        if (context.TryGetPropertyValue("@propagate", out var propagateValue) && !Keywords.TryBool(propagateValue, out _))
            throw Error("invalid @propagate value", "@propagate must be true or false.");
        var isProtected = false;
        if (context.TryGetPropertyValue("@protected", out var protectedValue) && !Keywords.TryBool(protectedValue, out isProtected))
            throw Error("invalid @protected value", "@protected must be true or false.");

        var scope = new DefinitionScope(context, new Dictionary<string, bool>(StringComparer.Ordinal), baseUrl, remoteContexts, isProtected);
        foreach (var (term, _) in context)
        {
            if (term is "@base" or "@direction" or "@import" or "@language" or "@propagate" or "@protected" or "@version" or "@vocab")
                continue;
            CreateTermDefinition(result, scope, term, overrideProtected);
        }
    }

    /// <summary>The local context whose terms are being defined, and which of them are (true) or are being (false) defined.</summary>
    private sealed record DefinitionScope(
        JsonObject Local, Dictionary<string, bool> Defined, string? BaseUrl, List<string> RemoteContexts, bool Protected);

    private void CreateTermDefinition(ActiveContext active, DefinitionScope scope, string term, bool overrideProtected)
    {
        var (local, defined, baseUrl, remoteContexts, isProtected) = scope;
        if (defined.TryGetValue(term, out var done))
        {
            if (done)
                return;
            throw Error("cyclic IRI mapping", $"The term {term} is defined in terms of itself.", term);
        }
        if (term.Length == 0)
            throw Error("invalid term definition", "A term cannot be the empty string.", term);
        defined[term] = false;
        var value = local[term];

        if (term == "@type" && value is JsonObject typeDefinition && typeDefinition.Count > 0
            && typeDefinition.All(e => (e.Key == "@container" && Keywords.AsString(e.Value) == "@set") || e.Key == "@protected"))
        {
            // @type may be given @container @set and @protected, nothing else.
        }
        else if (Keywords.IsKeyword(term))
            throw Error("keyword redefinition", $"The keyword {term} cannot be redefined.", term);
        else if (Keywords.HasKeywordForm(term))
        {
            Dropped("reserved term", $"The term {term} has the form of a keyword and is ignored.", term);
            return;
        }

        active.Terms.Remove(term, out var previous);
        bool simpleTerm;
        JsonObject definition;
        if (value is null)
        {
            simpleTerm = false;
            definition = new JsonObject { ["@id"] = null };
        }
        else if (Keywords.TryString(value, out var iriValue))
        {
            simpleTerm = true;
            definition = new JsonObject { ["@id"] = iriValue };
        }
        else if (value is JsonObject map)
        {
            simpleTerm = false;
            definition = map;
        }
        else
            throw Error("invalid term definition", $"The definition of {term} must be a string, an object or null.", term);

        var termProtected = isProtected;
        if (definition.TryGetPropertyValue("@protected", out var protectedValue) && !Keywords.TryBool(protectedValue, out termProtected))
            throw Error("invalid @protected value", $"@protected of {term} must be true or false.", term);

        string? typeMapping = null;
        if (definition.TryGetPropertyValue("@type", out var typeValue))
        {
            if (!Keywords.TryString(typeValue, out var type))
                throw Error("invalid type mapping", $"@type of {term} must be a string.", term);
            typeMapping = ExpandIri(active, type, vocab: true, scope: scope);
            if (typeMapping is not ("@id" or "@json" or "@none" or "@vocab") && (typeMapping is null || !Iri.IsAbsolute(typeMapping)))
                throw Error("invalid type mapping", $"@type of {term} is not an IRI: {type}.", term);
        }

        foreach (var (key, _) in definition)
        {
            if (key is not ("@id" or "@reverse" or "@container" or "@context" or "@direction" or "@index" or "@language"
                or "@nest" or "@prefix" or "@protected" or "@type"))
                throw Error("invalid term definition", $"The definition of {term} has an unknown entry {key}.", term);
        }

        string? iri;
        var reverse = false;
        var prefix = false;
        if (definition.TryGetPropertyValue("@reverse", out var reverseValue))
        {
            if (definition.ContainsKey("@id") || definition.ContainsKey("@nest"))
                throw Error("invalid reverse property", $"The reverse property {term} cannot have @id or @nest.", term);
            if (!Keywords.TryString(reverseValue, out var reverseIri))
                throw Error("invalid IRI mapping", $"@reverse of {term} must be a string.", term);
            if (Keywords.HasKeywordForm(reverseIri))
            {
                Dropped("reserved @reverse value", $"@reverse of {term} has the form of a keyword and is ignored.", term);
                return;
            }
            iri = ExpandIri(active, reverseIri, vocab: true, scope: scope);
            if (iri is null || (!Iri.HasScheme(iri) && !Iri.IsBlankNode(iri)) || Keywords.IsKeyword(iri))
                throw Error("invalid IRI mapping", $"@reverse of {term} is not an IRI.", term);
            reverse = true;
        }
        else if (definition.TryGetPropertyValue("@id", out var idValue) && Keywords.AsString(idValue) != term)
        {
            if (idValue is null)
                iri = null;
            else
            {
                if (!Keywords.TryString(idValue, out var id))
                    throw Error("invalid IRI mapping", $"@id of {term} must be a string or null.", term);
                if (!Keywords.IsKeyword(id) && Keywords.HasKeywordForm(id))
                {
                    Dropped("reserved @id value", $"@id of {term} has the form of a keyword and is ignored.", term);
                    return;
                }
                iri = ExpandIri(active, id, vocab: true, scope: scope);
                if (iri is null || (!Keywords.IsKeyword(iri) && !Iri.HasScheme(iri) && !Iri.IsBlankNode(iri)))
                    throw Error("invalid IRI mapping", $"@id of {term} is not an IRI, a blank node or a keyword.", term);
                if (iri == "@context")
                    throw Error("invalid keyword alias", $"{term} cannot be an alias of @context.", term);
                if (ColonAfterFirst(term) is > 0 and var c && c < term.Length - 1 || term.Contains('/'))
                {
                    defined[term] = true;
                    if (ExpandIri(active, term, vocab: true, scope: scope) != iri)
                        throw Error("invalid IRI mapping", $"The term {term} looks like an IRI and is mapped to another one.", term);
                }
                if (!term.Contains(':') && !term.Contains('/') && simpleTerm && (EndsWithGenDelim(iri) || Iri.IsBlankNode(iri)))
                    prefix = true;
            }
        }
        else if (ColonAfterFirst(term) > 0)
        {
            var colon = ColonAfterFirst(term);
            var prefixPart = term[..colon];
            var suffix = term[(colon + 1)..];
            if (local.ContainsKey(prefixPart))
                CreateTermDefinition(active, scope, prefixPart, overrideProtected: false);
            iri = active.Term(prefixPart) is { } prefixDefinition ? prefixDefinition.Iri + suffix : term;
        }
        else if (term.Contains('/'))
        {
            iri = ExpandIri(active, term, vocab: true);
            if (iri is null || !Iri.HasScheme(iri))
                throw Error("invalid IRI mapping", $"The term {term} is a relative IRI that cannot be resolved.", term);
        }
        else if (term == "@type")
            iri = "@type";
        else if (active.Vocab is not null)
            iri = active.Vocab + term;
        else
            throw Error("invalid IRI mapping", $"The term {term} has no IRI and there is no @vocab.", term);

        var container = Container.None;
        if (definition.TryGetPropertyValue("@container", out var containerValue) && containerValue is not null)
        {
            container = ParseContainer(containerValue, term);
            if (reverse && (container & ~(Container.Set | Container.Index)) != 0)
                throw Error("invalid reverse property", $"The container of the reverse property {term} must be @set or @index.", term);
            if ((container & Container.Type) != 0)
            {
                typeMapping ??= "@id";
                if (typeMapping is not ("@id" or "@vocab"))
                    throw Error("invalid type mapping", $"A @type container needs @type @id or @vocab ({term}).", term);
            }
        }
        else if (containerValue is null && definition.ContainsKey("@container") && !reverse)
            throw Error("invalid container mapping", $"@container of {term} cannot be null.", term);

        string? index = null;
        if (definition.TryGetPropertyValue("@index", out var indexValue))
        {
            if ((container & Container.Index) == 0 || !Keywords.TryString(indexValue, out var indexTerm))
                throw Error("invalid term definition", $"@index of {term} needs an @index container and a string.", term);
            var expandedIndex = ExpandIri(active, indexTerm, vocab: true, scope: scope);
            if (expandedIndex is null || Keywords.IsKeyword(expandedIndex) || !Iri.HasScheme(expandedIndex))
                throw Error("invalid term definition", $"@index of {term} is not an IRI.", term);
            index = indexTerm;
        }

        JsonNode? scopedContext = null;
        var hasContext = definition.TryGetPropertyValue("@context", out var contextValue);
        if (hasContext)
        {
            scopedContext = contextValue?.DeepClone();
            try
            {
                ProcessContext(active, scopedContext, baseUrl, [.. remoteContexts], overrideProtected: true,
                    validateScopedContext: false, cacheKey: scopedContext is null ? "null" : scopedContext);
            }
            catch (JsonLdException e) when (!e.IsSafeModeError)
            {
                throw Error("invalid scoped context", $"The scoped context of {term} is invalid: {e.Message}", term);
            }
        }

        var hasLanguage = false;
        string? language = null;
        if (definition.TryGetPropertyValue("@language", out var languageValue) && typeValue is null)
        {
            hasLanguage = true;
            if (languageValue is not null)
            {
                if (!Keywords.TryString(languageValue, out var tag))
                    throw Error("invalid language mapping", $"@language of {term} must be a string or null.", term);
                if (!Keywords.IsLanguageTag(tag))
                    Dropped("invalid @language value", $"@language {tag} of {term} is not a well-formed language tag.", term);
                language = tag.ToLowerInvariant();
            }
        }

        var hasDirection = false;
        string? direction = null;
        if (definition.TryGetPropertyValue("@direction", out var directionValue) && typeValue is null)
        {
            hasDirection = true;
            if (directionValue is not null)
            {
                if (!Keywords.TryString(directionValue, out var d) || d is not ("ltr" or "rtl"))
                    throw Error("invalid base direction", $"@direction of {term} must be \"ltr\", \"rtl\" or null.", term);
                direction = d;
            }
        }

        string? nest = null;
        if (definition.TryGetPropertyValue("@nest", out var nestValue))
        {
            if (!Keywords.TryString(nestValue, out var n) || (Keywords.IsKeyword(n) && n != "@nest"))
                throw Error("invalid @nest value", $"@nest of {term} must be a term or @nest.", term);
            nest = n;
        }

        if (definition.TryGetPropertyValue("@prefix", out var prefixValue))
        {
            if (term.Contains(':') || term.Contains('/'))
                throw Error("invalid term definition", $"The term {term} cannot be a prefix: it holds ':' or '/'.", term);
            if (!Keywords.TryBool(prefixValue, out prefix))
                throw Error("invalid @prefix value", $"@prefix of {term} must be true or false.", term);
            if (prefix && Keywords.IsKeyword(iri))
                throw Error("invalid term definition", $"The keyword alias {term} cannot be a prefix.", term);
        }

        var result = new TermDefinition
        {
            Iri = iri,
            Reverse = reverse,
            TypeMapping = typeMapping,
            HasLanguage = hasLanguage,
            Language = language,
            HasDirection = hasDirection,
            Direction = direction,
            Container = container,
            Index = index,
            Nest = nest,
            Prefix = prefix,
            Protected = termProtected,
            HasContext = hasContext,
            Context = scopedContext,
            BaseUrl = baseUrl,
        };
        if (!overrideProtected && previous is { Protected: true })
        {
            if (!result.SameAs(previous))
                throw Error("protected term redefinition", $"The protected term {term} cannot be redefined.", term);
            result = previous;
        }
        active.Terms[term] = result;
        defined[term] = true;
    }

    private static int ColonAfterFirst(string value) => value.Length > 1 ? value.IndexOf(':', 1) : -1;

    private static bool EndsWithGenDelim(string iri) =>
        iri.Length > 0 && iri[^1] is ':' or '/' or '?' or '#' or '[' or ']' or '@';

    private static Container ParseContainer(JsonNode value, string term)
    {
        var container = Container.None;
        var values = value is JsonArray array ? array : (IEnumerable<JsonNode?>)[value];
        var count = 0;
        foreach (var item in values)
        {
            count++;
            var flag = Keywords.AsString(item) switch
            {
                "@list" => Container.List,
                "@set" => Container.Set,
                "@index" => Container.Index,
                "@id" => Container.Id,
                "@type" => Container.Type,
                "@language" => Container.Language,
                "@graph" => Container.Graph,
                _ => throw Error("invalid container mapping", $"@container of {term} has an unknown value.", term),
            };
            if ((container & flag) != 0)
                throw Error("invalid container mapping", $"@container of {term} repeats a value.", term);
            container |= flag;
        }
        var valid = container switch
        {
            Container.List or Container.Set or Container.Index or Container.Id or Container.Type
                or Container.Language or Container.Graph => count == 1 || value is JsonArray,
            _ when (container & Container.List) != 0 => false,
            _ when (container & Container.Graph) != 0 => (container & ~(Container.Graph | Container.Id | Container.Index | Container.Set)) == 0
                && (container & (Container.Id | Container.Index)) != (Container.Id | Container.Index),
            _ => (container & Container.Set) != 0 && System.Numerics.BitOperations.PopCount((uint)container) == 2,
        };
        if (!valid || count == 0)
            throw Error("invalid container mapping", $"@container of {term} is not a valid combination.", term);
        return container;
    }

    /// <summary>IRI expansion (§5.2.2); null when the value cannot name anything.</summary>
    private string? ExpandIri(
        ActiveContext active, string? value, bool documentRelative = false, bool vocab = false,
        DefinitionScope? scope = null)
    {
        if (value is null || Keywords.IsKeyword(value))
            return value;
        if (Keywords.HasKeywordForm(value))
            return null;
        if (scope is not null && scope.Local.ContainsKey(value) && !scope.Defined.GetValueOrDefault(value))
            CreateTermDefinition(active, scope, value, overrideProtected: false);
        var definition = active.Term(value);
        if (definition is not null && Keywords.IsKeyword(definition.Iri))
            return definition.Iri;
        if (vocab && definition is not null)
            return definition.Iri;
        var colon = ColonAfterFirst(value);
        if (colon > 0)
        {
            var prefix = value[..colon];
            var suffix = value[(colon + 1)..];
            if (prefix == "_" || suffix.StartsWith("//", StringComparison.Ordinal))
                return value;
            if (scope is not null && scope.Local.ContainsKey(prefix) && !scope.Defined.GetValueOrDefault(prefix))
                CreateTermDefinition(active, scope, prefix, overrideProtected: false);
            if (active.Term(prefix) is { Iri: not null, Prefix: true } prefixDefinition)
                return prefixDefinition.Iri + suffix;
            if (Iri.HasScheme(value))
                return value;
        }
        if (vocab && active.Vocab is not null)
            return active.Vocab + value;
        if (documentRelative)
            return Iri.Resolve(active.Base, value);
        return value;
    }
}
