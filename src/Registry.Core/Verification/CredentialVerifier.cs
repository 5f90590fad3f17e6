using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;
using Registry.Verification.Checks;

namespace Registry.Verification;

/// <summary>
/// The one verification pipeline: runs the named checks in order, records each as passed, failed or
/// skipped (or, when the chain cannot be read, as not checked), and stops at the first that does not pass. Used by the API, the web page and the CLI alike.
/// Ed25519 signatures are checked with <paramref name="ed25519"/>, by default the managed code that also runs in WebAssembly.
/// </summary>
public sealed class CredentialVerifier(ITrustedRegistries registries, TimeProvider? clock = null, IEd25519Verifier? ed25519 = null)
{
    /// <summary>The checks in the order they run.</summary>
    public static IReadOnlyList<IVerificationCheck> Checks { get; } =
    [
        new FormatCheck(), new DigestCheck(), new SignatureCheck(), new MerkleCheck(), new RegistryCheck(),
        new AnchorCheck(), new IssuerCheck(), new RevocationCheck(), new ValidityCheck(), new ComponentsCheck(),
    ];

    /// <summary>The check named <paramref name="name"/>.</summary>
    public static IVerificationCheck Check(string name) => Checks.First(c => c.Name == name);

    private const string NotRun = "Not run: an earlier check failed.";
    private const string NotRunUnchecked = "Not run: an earlier check could not be completed.";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Verifies a document given as UTF-8 JSON. Input that <see cref="StrictJson"/> refuses (not JSON, or with
    /// values canonical JSON cannot keep, such as an escaped lone surrogate) fails at <c>format</c>.
    /// </summary>
    public Task<VerificationReport> VerifyAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        JsonNode? document;
        try
        {
            document = StrictJson.Parse(utf8Json.Span);
        }
        catch (InexactJsonException e)
        {
            return Task.FromResult(FailedAtFormat($"Malformed credential: {e.Errors}"));
        }
        catch (JsonException e)
        {
            return Task.FromResult(FailedAtFormat($"The file is not valid JSON: {e.Message}"));
        }
        return VerifyAsync(document, cancellationToken);
    }

    /// <summary>Verifies a document already parsed; text from outside goes through the UTF-8 overload, which applies <see cref="StrictJson"/>.</summary>
    public async Task<VerificationReport> VerifyAsync(JsonNode? document, CancellationToken cancellationToken = default)
    {
        var context = new VerificationContext(document, registries, _clock.GetUtcNow(), ed25519);
        var results = new List<CheckResult>(Checks.Count);
        CheckResult? stopped = null;
        foreach (var check in Checks)
        {
            if (stopped is not null)
            {
                results.Add(new CheckResult(check.Name, CheckStatus.Skipped, stopped.Status == CheckStatus.Failed ? NotRun : NotRunUnchecked));
                continue;
            }
            CheckResult result;
            try
            {
                var outcome = await check.RunAsync(context, cancellationToken);
                result = new CheckResult(check.Name, outcome.Passed ? CheckStatus.Passed : CheckStatus.Failed, outcome.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (NodeUnavailableException e)
            {
                // The chain could not be read: no verdict either way.
                result = new CheckResult(check.Name, CheckStatus.CouldNotCheck, e.Message, e.Reason);
            }
            catch (Exception e)
            {
                // Anything unforeseen fails the check rather than the caller.
                result = new CheckResult(check.Name, CheckStatus.Failed, $"Could not complete the check: {e.Message}");
            }
            results.Add(result);
            if (result.Status != CheckStatus.Passed) stopped = result;
        }
        return new VerificationReport(stopped is null, results, context.IssuerName, context.Verdict?.AnchoredAt, context.Revocation?.RevokedAt, context.Verdict?.AsOf)
        {
            RevocationReason = context.Revocation?.Reason,
            IssuerId = context.IssuerId,
            IssuerAccount = context.IssuerDid?.ToString(),
            Digest = context.Digest?.ToString(),
        };
    }

    private static VerificationReport FailedAtFormat(string message)
    {
        var results = Checks.Select((check, i) => i == 0
            ? new CheckResult(check.Name, CheckStatus.Failed, message)
            : new CheckResult(check.Name, CheckStatus.Skipped, NotRun)).ToList();
        return new VerificationReport(false, results, null, null, null);
    }
}
