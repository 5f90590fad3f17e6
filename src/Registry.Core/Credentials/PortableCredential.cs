using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>The file a learner carries: the issued credential with its anchor proof.</summary>
public static class PortableCredential
{
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
