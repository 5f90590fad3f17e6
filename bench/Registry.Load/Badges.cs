using System.Text;
using System.Text.Json.Nodes;

namespace Registry.Load;

/// <summary>
/// Distinct Open Badges, 1,000 to a request body, made fast enough that the load generator does not
/// compete with the registry for the two cores: one body is rendered once, and each copy has only its
/// learners' numbers written into it.
/// </summary>
public sealed class Badges
{
    public const int PerRequest = 1_000;
    private const int Digits = 9;
    private readonly byte[] _template;
    private readonly int[] _numberAt;

    public Badges()
    {
        var items = new JsonArray();
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < PerRequest; i++) items.Add(Badge($"did:example:{run}-{new string('0', Digits)}"));
        _template = Encoding.UTF8.GetBytes(items.ToJsonString());
        var marker = Encoding.UTF8.GetBytes($"{run}-");
        _numberAt = new int[PerRequest];
        var from = 0;
        for (var i = 0; i < PerRequest; i++)
        {
            from = _template.AsSpan(from).IndexOf(marker) + from + marker.Length;
            _numberAt[i] = from;
        }
    }

    /// <summary>The body of request <paramref name="request"/>: learners request × 1,000 to request × 1,000 + 999.</summary>
    public byte[] Body(int request)
    {
        var body = (byte[])_template.Clone();
        for (var i = 0; i < PerRequest; i++)
        {
            var number = (long)request * PerRequest + i;
            for (var d = Digits - 1; d >= 0; d--, number /= 10) body[_numberAt[i] + d] = (byte)('0' + number % 10);
        }
        return body;
    }

    /// <summary>The documents of request <paramref name="request"/>, as the registry receives them.</summary>
    public JsonArray Documents(int request) => JsonNode.Parse(Body(request))!.AsArray();

    public static JsonObject Badge(string learner) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
        ["name"] = "Data Analysis with Python",
        ["validFrom"] = "2026-11-01T00:00:00Z",
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = learner,
            ["type"] = new JsonArray("AchievementSubject"),
            ["achievement"] = new JsonObject
            {
                ["id"] = "https://oul.example/achievements/data-analysis",
                ["type"] = new JsonArray("Achievement"),
                ["name"] = "Data Analysis with Python",
                ["description"] = "Cleans, explores and visualises data sets with pandas.",
                ["criteria"] = new JsonObject { ["narrative"] = "Six graded notebooks and a capstone project." },
            },
        },
    };
}
