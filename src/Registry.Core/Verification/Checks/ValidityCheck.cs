using Registry.Credentials;

namespace Registry.Verification.Checks;

public sealed class ValidityCheck : IVerificationCheck
{
    public string Name => "validity";
    public string Description => "Now is within validFrom … validUntil (a VC 1.1 credential's issuanceDate … expirationDate).";
    public string Failure => "Today is outside the credential's validity period: it has expired or is not yet valid.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var now = context.Now;
        // VC 1.1 names the validity period issuanceDate (required there) and expirationDate.
        var vc11 = CredentialValidator.IsVc11(context.Credential);
        var from = Date(context, vc11 ? "issuanceDate" : "validFrom");
        var until = Date(context, vc11 ? "expirationDate" : "validUntil");
        if (from is { } start && now < start)
            return Task.FromResult(CheckOutcome.Fail($"Not valid before {XsdDateTime.Format(start)}."));
        if (until is { } end && now > end)
            return Task.FromResult(CheckOutcome.Fail($"Expired on {XsdDateTime.Format(end)}."));
        var window = (from, until) switch
        {
            (null, null) => "No validity period is set.",
            ({ } s, null) => $"Valid since {XsdDateTime.Format(s)}.",
            (null, { } e) => $"Valid until {XsdDateTime.Format(e)}.",
            ({ } s, { } e) => $"Valid from {XsdDateTime.Format(s)} until {XsdDateTime.Format(e)}.",
        };
        return Task.FromResult(CheckOutcome.Pass(window));
    }

    private static DateTimeOffset? Date(VerificationContext context, string field) =>
        context.Credential[field]?.GetValue<string>() is { } text && XsdDateTime.TryParse(text, out var date) ? date : null;
}
