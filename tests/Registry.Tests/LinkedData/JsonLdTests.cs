using System.Text.Json.Nodes;
using Registry.LinkedData;

namespace Registry.Tests.LinkedData;

/// <summary>The JSON-LD processor on the registry's own credentials: safe mode, the bundled contexts and nothing else, the cache.</summary>
public class JsonLdTests
{
    private static readonly JsonLdOptions Safe = new() { Safe = true };

    private static JsonObject Credential(string extra) => JsonNode.Parse($$"""
        {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          "id": "urn:uuid:5f3b1c4e-0000-4000-8000-000000000001",
          "type": ["VerifiableCredential"],
          "issuer": "did:example:issuer",
          "credentialSubject": { "id": "did:example:subject" {{extra}} }
        }
        """)!.AsObject();

    [Fact]
    public void The_example_credential_becomes_the_expected_quads_in_safe_mode()
    {
        var quads = JsonLd.ToRdf(ExampleCredential.WithProof(), Safe);
        var text = NQuads.Serialize(quads);

        Assert.Contains("<did:example:amara> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://oul.example/achievements/data-analysis> .\n", text);
        Assert.Contains("<https://oul.example/achievements/data-analysis> <https://schema.org/name> \"Data Analysis with Python\" .\n", text);
        Assert.Contains("<urn:uuid:0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c> <https://www.w3.org/2018/credentials#validFrom> \"2026-11-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n", text);
        // The proof is a graph of its own; its anchor's block number an xsd:integer.
        Assert.Contains("<urn:credential-registry:vocab#blockNumber> \"4\"^^<http://www.w3.org/2001/XMLSchema#integer> _:", text);
        Assert.Contains("<urn:credential-registry:vocab#merkleProof> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> _:", text);
    }

    [Fact]
    public void An_undefined_term_is_dropped_but_an_error_in_safe_mode()
    {
        var credential = Credential(""", "favouriteColour": "green" """);

        var quads = JsonLd.ToRdf(credential);
        Assert.DoesNotContain(quads, q => q.Object.Value == "green");

        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, Safe));
        Assert.Equal("invalid property", error.Code);
        Assert.Equal("favouriteColour", error.Subject);
        Assert.True(error.IsSafeModeError);
    }

    /// <summary>
    /// A base direction (JSON-LD 1.1 API §8.1.2 step 13): with <c>rdfDirection</c> <c>i18n-datatype</c> it becomes the literal's
    /// datatype, the language tag in lower case; without the option the literal keeps its language only, and safe mode refuses it.
    /// </summary>
    [Fact]
    public void A_base_direction_becomes_an_i18n_datatype_with_the_option_and_is_refused_in_safe_mode_without_it()
    {
        var credential = Credential("""
            , "name": {"@value": "مرحبا", "@language": "AR-EG", "@direction": "rtl"}, "description": {"@value": "Plain", "@direction": "ltr"}
            """);
        var i18n = new JsonLdOptions { Safe = true, RdfDirection = RdfDirection.I18nDatatype };

        var quads = JsonLd.ToRdf(credential, i18n);
        var name = Assert.Single(quads, q => q.Object.Value == "مرحبا").Object;
        Assert.Equal(("https://www.w3.org/ns/i18n#ar-eg_rtl", null), (name.Datatype, name.Language));
        var description = Assert.Single(quads, q => q.Object.Value == "Plain").Object;
        Assert.Equal(("https://www.w3.org/ns/i18n#_ltr", null), (description.Datatype, description.Language));
        Assert.Contains("\"مرحبا\"^^<https://www.w3.org/ns/i18n#ar-eg_rtl>", Rdfc10.Canonicalize(quads));

        // Without the option: the language alone (in lower case, as expansion leaves it), and an error in safe mode.
        var plain = Assert.Single(JsonLd.ToRdf(credential), q => q.Object.Value == "مرحبا").Object;
        Assert.Equal((RdfTerm.RdfLangString, "ar-eg"), (plain.Datatype, plain.Language));
        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, Safe));
        Assert.Equal("rdfDirection not set", error.Code);
        Assert.True(error.IsSafeModeError);
    }

    /// <summary>
    /// A number or boolean with a direction: the API gives it the i18n datatype, jsonld.js its own type without the direction,
    /// so a signature over it could not verify in both; safe mode refuses it, and without safe mode the API's form is written.
    /// </summary>
    [Fact]
    public void A_direction_on_a_number_follows_the_api_but_is_refused_in_safe_mode()
    {
        var credential = Credential(""", "name": {"@value": 5, "@direction": "ltr"} """);

        var lenient = JsonLd.ToRdf(credential, new JsonLdOptions { RdfDirection = RdfDirection.I18nDatatype });
        var five = Assert.Single(lenient, q => q.Object.Value == "5").Object;
        Assert.Equal("https://www.w3.org/ns/i18n#_ltr", five.Datatype);
        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, new JsonLdOptions { Safe = true, RdfDirection = RdfDirection.I18nDatatype }));
        Assert.Equal("direction of a value that is not a string", error.Code);
        Assert.True(error.IsSafeModeError);
    }

    [Theory]
    [InlineData(""", "@type": "Undefined" """, "relative @type reference", "Undefined")]
    [InlineData(""", "knows": {"id": "relative/path", "name": "x"} """, "invalid property", "knows")]
    [InlineData(""", "name": {"@value": null} """, "null @value value", "@value")]
    [InlineData(""", "name": {"@language": "en"} """, "object with only @language", "@language")]
    [InlineData(""", "name": {"@value": "x", "@language": "en_GB"} """, "invalid @language value", "en_GB")]
    [InlineData(""", "name": {"@id": "@nothing"} """, "reserved @id value", "@nothing")]
    public void Whatever_would_be_dropped_is_an_error_in_safe_mode(string extra, string code, string subject)
    {
        var credential = Credential(extra);
        JsonLd.ToRdf(credential);

        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, Safe));
        Assert.Equal(code, error.Code);
        Assert.Equal(subject, error.Subject);
    }

    [Fact]
    public void A_relative_id_is_an_error_in_safe_mode_and_resolved_against_a_base()
    {
        var credential = Credential("");
        credential["credentialSubject"]!["id"] = "learners/amara";

        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, Safe));
        Assert.Equal("relative @id reference", error.Code);
        Assert.Equal("learners/amara", error.Subject);

        var quads = JsonLd.ToRdf(credential, Safe with { Base = "https://oul.example/" });
        Assert.Contains(quads, q => q.Object.Value == "https://oul.example/learners/amara");
    }

    [Fact]
    public void The_loader_serves_the_bundled_contexts_and_refuses_any_other_url()
    {
        foreach (var url in BundledContexts.Urls)
            Assert.True(JsonLd.ToRdf(JsonNode.Parse($$"""{"@context": "{{url}}", "@id": "urn:x:1", "@type": "urn:x:T"}"""), Safe).Count == 1, url);

        var credential = Credential("");
        credential["@context"]!.AsArray().Add("https://example.org/unknown-context.jsonld");
        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential, Safe));
        Assert.Equal("loading remote context failed", error.Code);
        Assert.Equal("https://example.org/unknown-context.jsonld", error.Subject);
        Assert.Contains("not one of the contexts the registry bundles", error.Message);
    }

    /// <summary>
    /// The base context's bytes are the published file's: their SHA-256 is the one VC 2.0 (appendix B.1) gives, which is what
    /// lets the registry check a related resource's digest of it. No other context is offered as published bytes.
    /// </summary>
    [Fact]
    public void The_base_context_is_held_byte_for_byte_as_VC_2_0_gives_its_digest()
    {
        Assert.True(BundledContexts.TryGetPublishedBytes(BundledContexts.CredentialsV2, out var bytes));
        Assert.Equal("59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        foreach (var url in BundledContexts.Urls.Where(u => u != BundledContexts.CredentialsV2))
            Assert.False(BundledContexts.TryGetPublishedBytes(url, out _), url);
        Assert.False(BundledContexts.TryGetPublishedBytes("https://example.org/context.jsonld", out _));
    }

    [Fact]
    public void A_protected_term_of_a_bundled_context_cannot_be_redefined()
    {
        var credential = Credential("");
        credential["@context"]!.AsArray().Add(new JsonObject { ["name"] = "https://example.org/mine" });

        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(credential));
        Assert.Equal("protected term redefinition", error.Code);
        Assert.Equal("name", error.Subject);
    }

    [Fact]
    public void Numbers_booleans_and_json_literals_take_their_canonical_forms()
    {
        var quads = JsonLd.ToRdf(JsonNode.Parse("""
            {
              "@context": {"@vocab": "https://example.org/", "data": {"@type": "@json"}},
              "@id": "https://example.org/s",
              "integer": 5.0, "double": 5.3, "huge": 1e21, "small": -2.5e-3, "tiny": 1e-7, "tinyNegative": -2e-10, "yes": true,
              "data": {"b": [1.0, "ü"], "a": null}
            }
            """), Safe);
        string Literal(string property) => NQuads.SerializeQuad(quads.Single(q => q.Predicate.Value == "https://example.org/" + property));

        Assert.EndsWith("\"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", Literal("integer"));
        Assert.EndsWith("\"5.3E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n", Literal("double"));
        Assert.EndsWith("\"1.0E21\"^^<http://www.w3.org/2001/XMLSchema#double> .\n", Literal("huge"));
        Assert.EndsWith("\"-2.5E-3\"^^<http://www.w3.org/2001/XMLSchema#double> .\n", Literal("small"));
        // As jsonld.js writes them, so that signatures verify there: JavaScript writes these without a point.
        Assert.EndsWith("\"0\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", Literal("tiny"));
        Assert.EndsWith("\"-0\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", Literal("tinyNegative"));
        Assert.EndsWith("\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n", Literal("yes"));
        Assert.EndsWith("\"{\\\"a\\\":null,\\\"b\\\":[1,\\\"ü\\\"]}\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n", Literal("data"));
    }

    [Fact]
    public void Conversions_in_parallel_share_the_processed_contexts_and_agree()
    {
        var expected = NQuads.Serialize(JsonLd.ToRdf(ExampleCredential.WithProof(), Safe));
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = NQuads.Serialize(JsonLd.ToRdf(ExampleCredential.WithProof(), Safe)));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void A_document_nested_too_deeply_is_an_error_not_a_crash()
    {
        var deep = "{\"@context\": {\"@vocab\": \"https://example.org/\"}, \"p\": " + string.Concat(Enumerable.Repeat("{\"p\": ", 600)) + "1" + new string('}', 601);
        var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(JsonNode.Parse(deep, documentOptions: new() { MaxDepth = 1000 })));
        Assert.Equal("recursion limit exceeded", error.Code);
    }
}
