using System.Text.Json.Nodes;
using Registry.Canonical;
using Registry.Credentials;
using Registry.Identity;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Canonical;

/// <summary>Issuance writes the registry's fields as canonical fragments: the canonical bytes must be the ones the plain nodes give.</summary>
public sealed class CanonicalFragmentTests
{
    private static readonly IssuerDid Did = IssuerDid.For(31337, "0x" + new string('c', 40));

    [Fact]
    public void A_credential_completed_with_fragments_canonicalises_to_the_same_bytes()
    {
        var issuer = new IssuerProfileFields(ProofSets.StrangerDidKey, "Fragment Institute — Zoë & 学院", "https://example.edu", "Teaches \"quotes\" and \\ backslashes\n");
        var status = CredentialStatusEntry.For(Did, "0x" + new string('d', 40));
        var fragments = RegistryFields.Fragments.Of(issuer, status);
        foreach (var sample in new[] { Samples.Badge(), Samples.AwkwardBadge(), Samples.Plain() })
        {
            var plain = (JsonObject)sample.DeepClone();
            RegistryFields.Apply(plain, "urn:uuid:00000000-0000-4000-8000-000000000001", issuer, Samples.StatusListEntry(), status);
            var withFragments = (JsonObject)sample.DeepClone();
            RegistryFields.ApplyForDigest(withFragments, "urn:uuid:00000000-0000-4000-8000-000000000001", fragments, Samples.StatusListEntry());

            var expected = Jcs.Canonicalize(plain);
            Assert.Equal(expected, Jcs.Canonicalize(withFragments));
            // Written by System.Text.Json too, the fragments are the JSON they stand for.
            Assert.Equal(expected, Jcs.Canonicalize(JsonNode.Parse(withFragments.ToJsonString())));
        }
    }

    [Fact]
    public void A_context_already_there_is_not_added_twice()
    {
        var credential = Samples.Badge();
        credential["@context"]!.AsArray().Add(RegistryContext.Create());
        var count = credential["@context"]!.AsArray().Count;
        RegistryFields.ApplyForDigest(credential, "urn:uuid:00000000-0000-4000-8000-000000000002",
            RegistryFields.Fragments.Of(new IssuerProfileFields(ProofSets.StrangerDidKey, "X"), CredentialStatusEntry.For(Did, "0x" + new string('d', 40))), Samples.StatusListEntry());
        Assert.Equal(count, credential["@context"]!.AsArray().Count);
    }
}
