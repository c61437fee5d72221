namespace Cosmos.Audit.AspNetCore.Telemetry;

/// <summary>The names under which Cosmos.Audit.AspNetCore reports metrics and traces.</summary>
/// <remarks>Subscribe with <c>meterProviderBuilder.AddMeter(AuditAspNetCoreTelemetry.MeterName)</c> and
/// <c>tracerProviderBuilder.AddSource(AuditAspNetCoreTelemetry.ActivitySourceName)</c>.</remarks>
public static class AuditAspNetCoreTelemetry
{
    /// <summary>The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Cosmos.Audit.AspNetCore";

    /// <summary>The name of the package's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Cosmos.Audit.AspNetCore";

    /// <summary>Counter of bearer authentications by <c>result</c> (<c>success</c>, <c>no_token</c> or the rejection reason)
    /// and <c>cache_hit</c>; unit <c>{request}</c>.</summary>
    public const string AuthenticationsInstrument = "cosmos.audit.aspnetcore.authentications";

    /// <summary>Counter of 401 challenges written by the bearer handler, by <c>error</c> (<c>invalid_token</c> or none);
    /// unit <c>{response}</c>.</summary>
    public const string ChallengesInstrument = "cosmos.audit.aspnetcore.challenges";

    /// <summary>Counter of permission checks denied by a permission policy, by <c>permission</c>; unit <c>{denial}</c>.</summary>
    public const string PermissionDenialsInstrument = "cosmos.audit.aspnetcore.permission.denials";

    /// <summary>The span around one bearer authentication (token read, validation, principal built).</summary>
    public const string AuthenticateSpan = "cosmos.audit.aspnetcore.authenticate";
}
