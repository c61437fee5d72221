using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Cosmos.Core.Telemetry;

/// <summary>Owns the package's <see cref="Meter"/> (one per DI container) and its process-wide <see cref="System.Diagnostics.ActivitySource"/>.</summary>
internal sealed class CoreInstrumentation : IDisposable
{
    // Static: spans are wanted from types built without DI too, and an ActivitySource costs nothing until listened to.
    internal static readonly ActivitySource ActivitySource = new(CoreTelemetry.ActivitySourceName, Version);

    private readonly bool _ownsMeter;

    public CoreInstrumentation(IMeterFactory? meterFactory = null)
    {
        // A factory-created meter is disposed by the factory; only a meter created here is ours to dispose.
        _ownsMeter = meterFactory is null;
        var options = new MeterOptions(CoreTelemetry.MeterName) { Version = Version };
        Meter = meterFactory?.Create(options) ?? new Meter(options);
    }

    // The package version (from the git tag), without the commit after '+'.
    private static string? Version =>
        typeof(CoreTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public Meter Meter { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
