using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cosmos.Audit.AspNetCore.Telemetry;

/// <summary>Owns the package meter (from <see cref="IMeterFactory"/>) and the static activity source.</summary>
internal sealed class AuditAspNetCoreMetrics
{
    internal static readonly ActivitySource ActivitySource = new(AuditAspNetCoreTelemetry.ActivitySourceName);

    private readonly Counter<long> _authentications;
    private readonly Counter<long> _challenges;
    private readonly Counter<long> _denials;

    public AuditAspNetCoreMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(AuditAspNetCoreTelemetry.MeterName));
        _authentications = meter.CreateCounter<long>(
            AuditAspNetCoreTelemetry.AuthenticationsInstrument, "{request}", "Bearer authentications by result and by whether the validation cache answered.");
        _challenges = meter.CreateCounter<long>(
            AuditAspNetCoreTelemetry.ChallengesInstrument, "{response}", "401 challenges written by the bearer handler.");
        _denials = meter.CreateCounter<long>(
            AuditAspNetCoreTelemetry.PermissionDenialsInstrument, "{denial}", "Permission policies that denied an authenticated caller.");
    }

    public void Authenticated(string result, bool cacheHit)
    {
        if (_authentications.Enabled)
        {
            _authentications.Add(1, new("result", result), new("cache_hit", cacheHit));
        }
    }

    public void Challenged(string? error)
    {
        if (_challenges.Enabled)
        {
            _challenges.Add(1, new KeyValuePair<string, object?>("error", error ?? "none"));
        }
    }

    public void PermissionDenied(string permission)
    {
        if (_denials.Enabled)
        {
            _denials.Add(1, new KeyValuePair<string, object?>("permission", permission));
        }
    }
}
