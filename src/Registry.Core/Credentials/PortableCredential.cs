using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>The file a learner carries: the issued credential with its anchor proof.</summary>
public static class PortableCredential
{
    /// <summary>
    /// The largest portable credential any verifier reads (<c>POST /verify</c>, the CLI, a share link on the
    /// page). Its credential came in as at most 1 MiB, but JSON answers escape each character outside the
    /// Basic Multilingual Plane as two \u escapes (12 bytes for 4), so the file a learner holds can be three
    /// times that, plus the proof.
    /// </summary>
    public const int MaxBytes = 4 << 20;

    public static JsonObject Compose(JsonObject credential, AnchorProof proof)
    {
        var portable = (JsonObject)credential.DeepClone();
        portable.Remove("proof");
        portable["proof"] = proof.ToJson();
        return portable;
    }

    /// <summary>The credential exactly as its digest was computed: everything but <c>proof</c>.</summary>
    public static JsonObject WithoutProof(JsonObject portable)
    {
        var credential = new JsonObject();
        foreach (var (name, value) in portable)
            if (name != "proof") credential[name] = value?.DeepClone();
        return credential;
    }
}
