namespace Registry.Api.Qualifications;

public static class QualificationServices
{
    /// <summary>Defining qualifications and awarding them.</summary>
    public static IServiceCollection AddQualifications(this IServiceCollection services) => services
        .AddSingleton<QualificationService>()
        .AddSingleton<AwardService>()
        .AddSingleton<StackAudit>();
}
