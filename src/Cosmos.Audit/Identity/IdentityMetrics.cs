using System.Diagnostics.Metrics;
using Cosmos.Audit.Telemetry;

namespace Cosmos.Audit.Identity;

/// <summary>Instruments of the identity features on the package meter <c>Cosmos.Audit</c>.</summary>
internal sealed class IdentityMetrics
{
    internal const string MeterName = AuditTelemetry.MeterName;

    private readonly Counter<long> _tokenValidations;
    private readonly Counter<long> _authorizationDenials;
    private readonly Counter<long> _refreshReuse;

    public IdentityMetrics(IMeterFactory? meterFactory = null)
    {
        // IMeterFactory hands back the same Meter for the same name, so the audit log's instruments and these share one meter.
        var meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _tokenValidations = meter.CreateCounter<long>(
            AuditTelemetry.TokenValidations, "{validation}", "Access token validations by result and by whether the cache answered.");
        _authorizationDenials = meter.CreateCounter<long>(
            AuditTelemetry.AuthorizationDenials, "{denial}", "Permission checks that were denied.");
        _refreshReuse = meter.CreateCounter<long>(
            AuditTelemetry.RefreshReuse, "{event}", "Refresh tokens presented again after rotation (the token family is revoked).");
    }

    public void TokenValidated(string result, bool cacheHit)
    {
        if (_tokenValidations.Enabled)
        {
            _tokenValidations.Add(1, new("result", result), new("cache_hit", cacheHit));
        }
    }

    public void AuthorizationDenied(string permission)
    {
        if (_authorizationDenials.Enabled)
        {
            _authorizationDenials.Add(1, new KeyValuePair<string, object?>("permission", permission));
        }
    }

    public void RefreshReuseDetected() => _refreshReuse.Add(1);
}
